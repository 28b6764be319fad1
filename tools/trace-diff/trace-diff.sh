#!/usr/bin/env bash
# Runs one guest on osgemu and on qemu-system-riscv64 with per-instruction traces and prints the
# first instruction where the two differ (program counter or an integer register), with the
# instructions before it. Early S-mode boot of Linux is deterministic until the first timer
# value is read, so the first difference there points at an emulation bug.
#
#   tools/trace-diff/trace-diff.sh [-n RECORDS] [-p PRIV] [-s SKIP] [-t SECONDS] [-m System.map]
#                                  [-f DFILTER] [-d] [-k] [-- TraceDiff options] -- EMULATOR ARGS...
#
#   -n  instructions to compare (default 2000000)    -p  privilege levels, of M S U (default S)
#   -s  instructions to pass over first (default 0)  -t  seconds osgemu may take (default 300)
#   -m  System.map naming functions                  -f  QEMU -dfilter ranges (default: the kernel,
#                                                        0x80200000..0xffffffffffffffff; "none" for all)
#   -d  give osgemu the device tree QEMU builds (taken from QEMU's memory, QEMU run with -seed 1
#       so its /chosen/rng-seed is the same every time): the guest then parses the same bytes
#   -k  keep the traces (in a directory printed at the end)
# EMULATOR ARGS are passed to both, e.g.
#   -M virt -smp 1 -m 512M -kernel Image -append console=ttyS0
# -nographic is added. QEMU streams its log through a FIFO into the comparison and is stopped at
# the first difference, so its multi-gigabyte log never reaches the disk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$here/../.."

records=2000000 priv=S skip=0 seconds=300 map="" dfilter="0x80200000..0xffffffffffffffff" keep=0 same_dtb=0
diff_options=()
while getopts "n:p:s:t:m:f:dk" opt; do
    case $opt in
        n) records=$OPTARG ;;
        p) priv=$OPTARG ;;
        s) skip=$OPTARG ;;
        t) seconds=$OPTARG ;;
        m) map=$OPTARG ;;
        f) dfilter=$OPTARG ;;
        d) same_dtb=1 ;;
        k) keep=1 ;;
        *) sed -n '2,20p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ "${1:-}" = "--" ]; then shift; fi
# TraceDiff options come first, up to a second "--"
if printf '%s\n' "$@" | grep -qx -- '--'; then
    while [ "$1" != "--" ]; do diff_options+=("$1"); shift; done
    shift
fi
[ $# -gt 0 ] || { echo "trace-diff: no emulator arguments (e.g. -M virt -kernel Image)" >&2; exit 2; }
[ -n "$map" ] && diff_options+=(--map "$map")
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

work="$(mktemp -d "${TMPDIR:-/tmp}/trace-diff.XXXXXX")"
qemu_pid=""
cleanup() {
    [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null || true
    if [ "$keep" = 1 ]; then echo "trace-diff: traces kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# qemu_dtb ARGS... : writes the device tree QEMU puts in guest memory for ARGS to $work/qemu.dtb.
# QEMU's reset vector (at 0x1000) holds the tree's address in its ninth and tenth words.
qemu_dtb() {
    local rom="$work/rom.bin" mem="$work/dtb-area.bin" address size
    { sleep 1; echo "pmemsave 0x1000 0x28 \"$rom\""; sleep 1
      address=$(od -An -t x8 -j 32 -N 8 "$rom" 2>/dev/null | tr -d ' ')
      echo "pmemsave 0x${address:-0} 0x100000 \"$mem\""; sleep 1; echo quit; } |
        qemu-system-riscv64 -display none -serial null -monitor stdio -S -seed 1 "$@" >/dev/null 2>&1
    [ -s "$mem" ] && [ "$(od -An -t x1 -N 4 "$mem" | tr -d ' ')" = d00dfeed ] ||
        { echo "trace-diff: could not read QEMU's device tree" >&2; exit 2; }
    size=$((16#$(od -An -t x1 -j 4 -N 4 "$mem" | tr -d ' ')))
    head -c "$size" "$mem" >"$work/qemu.dtb"
}
osgemu_only=() qemu_only=()
if [ "$same_dtb" = 1 ]; then
    qemu_dtb "$@"
    osgemu_only=(-dtb "$work/qemu.dtb")
    qemu_only=(-seed 1)
    echo "trace-diff: osgemu gets QEMU's device tree ($(stat -c %s "$work/qemu.dtb") bytes)" >&2
fi

# 1. osgemu: trace RECORDS instructions at PRIV into a file, then stop.
echo "trace-diff: osgemu: tracing $records $priv-mode instructions (skip $skip)" >&2
OSGEMU_JAVA_OPTS="${OSGEMU_JAVA_OPTS:-} -Dosgemu.trace=file=$work/osgemu.trace,priv=$priv,skip=$skip,limit=$records" \
    setsid "$top/distribution/osgemu" -nographic "$@" "${osgemu_only[@]}" </dev/null >"$work/osgemu.console" 2>&1 &
osgemu_pid=$!
deadline=$((SECONDS + seconds))
while kill -0 "$osgemu_pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 2
    if [ -f "$work/osgemu.trace" ] && [ "$(wc -l <"$work/osgemu.trace")" -ge "$records" ]; then break; fi
done
kill -TERM -- -"$osgemu_pid" 2>/dev/null || true
wait "$osgemu_pid" 2>/dev/null || true
[ -s "$work/osgemu.trace" ] || { echo "trace-diff: osgemu wrote no trace; console: $work/osgemu.console" >&2; keep=1; exit 2; }
echo "trace-diff: osgemu: $(wc -l <"$work/osgemu.trace") records" >&2

# 2. QEMU: one instruction per block, the CPU state before each, streamed through a FIFO.
mkfifo "$work/qemu.log"
filter=()
[ "$dfilter" != none ] && filter=(-dfilter "$dfilter")
qemu-system-riscv64 -nographic -d exec,cpu,nochain -singlestep "${filter[@]}" -D "$work/qemu.log" "$@" "${qemu_only[@]}" \
    </dev/null >"$work/qemu.console" 2>&1 &
qemu_pid=$!

# 3. compare; skip the same number of QEMU records as osgemu skipped
status=0
"$java_home/bin/java" "$here/TraceDiff.java" "$work/osgemu.trace" "$work/qemu.log" --priv "$priv" --skip "$skip" \
    "${diff_options[@]}" || status=$?
exit "$status"
