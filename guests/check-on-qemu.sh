#!/usr/bin/env bash
# Proves the Linux test guest on the reference machine, qemu-system-riscv64 (`virt`, OpenSBI as
# -bios, plus a virtio-rng device so /dev/hwrng has a source): boots it, waits for the shell
# prompt, runs a few commands on the serial console and checks their output, then powers off
# and expects QEMU to exit with status 0.
#   guests/check-on-qemu.sh [RUNS]   (RUNS boots, default 1; prints each time to the prompt
#                                     and their median)
# The console transcript of the last run is kept in <cache>/logs/check-on-qemu.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/lib.sh"
. "$here/common.sh"

runs="${1:-1}"
osgemu_apt qemu-system-misc opensbi >&2
eval "$("$here/build-all.sh")"
prompt='~ # '
transcript="$(guest_cache_root)/logs/check-on-qemu.log"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

console=""   # everything read from the console since the last `expect_text`

# expect_text TEXT SECONDS : reads the console until TEXT appears; fails after SECONDS.
expect_text() {
    local text=$1 limit=$2 char deadline=$((SECONDS + $2))
    console=""
    while [[ "$console" != *"$text"* ]]; do
        if ((SECONDS >= deadline)) || ! IFS= read -r -N 1 -t "$limit" -u "${QEMU[0]}" char; then
            echo "check-on-qemu: no '$text' on the console within $limit s; see $transcript" >&2
            return 1
        fi
        console+="$char"
        printf '%s' "$char" >>"$transcript"
    done
}

# run_command COMMAND SECONDS : types COMMAND, waits for the next prompt; the output is in $console.
run_command() {
    printf '%s\n' "$1" >&"${QEMU[1]}"
    expect_text "$prompt" "$2"
}

# must_contain WHAT PATTERN : fails unless the last command's output matches the extended regex.
must_contain() {
    if ! grep -qE "$2" <<<"$console"; then
        echo "check-on-qemu: $1: expected /$2/ in the output of the last command; see $transcript" >&2
        return 1
    fi
    echo "check-on-qemu: ok: $1" >&2
}

# must_count WHAT PATTERN N : fails unless exactly N lines of the last output match.
must_count() {
    local found
    found="$(grep -cE "$2" <<<"$console" || true)"
    if [ "$found" != "$3" ]; then
        echo "check-on-qemu: $1: expected $3 lines matching /$2/, found $found; see $transcript" >&2
        return 1
    fi
    echo "check-on-qemu: ok: $1" >&2
}

boot_times=()
for ((run = 1; run <= runs; run++)); do
    cp "$DISK" "$scratch/disk.img"
    : >"$transcript"
    started=$(date +%s.%N)
    coproc QEMU {
        exec qemu-system-riscv64 -M virt -smp 2 -m 512M -nographic \
            -kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyS0" \
            -drive file="$scratch/disk.img",format=raw,if=none,id=hd0 -device virtio-blk-device,drive=hd0 \
            -netdev user,id=n0 -device virtio-net-device,netdev=n0 -device virtio-rng-device 2>&1
    }
    # shellcheck disable=SC2153 # QEMU_PID is set by coproc
    qemu_pid=$QEMU_PID
    expect_text "osgemu-init: ready" 60
    expect_text "$prompt" 30
    boot_times+=("$(awk -v end="$(date +%s.%N)" -v start="$started" 'BEGIN { printf "%.2f", end - start }')")
    echo "check-on-qemu: run $run: shell prompt after ${boot_times[-1]} s" >&2

    if ((run == runs)); then
        run_command "cat /proc/cpuinfo" 10
        must_count "/proc/cpuinfo lists 2 harts" '^processor[[:space:]]*:' 2
        run_command "mount /dev/vda /mnt && cat /mnt/hello.txt" 20
        must_contain "ext4 disk on virtio-blk mounts" "hello from the osgemu test disk"
        run_command "date +%Y" 10
        must_contain "date comes from the goldfish RTC" '^20[0-9][0-9]'
        run_command "head -c 16 /dev/hwrng | od -x" 10
        must_contain "virtio-rng reads" '^0000000( [0-9a-f]{4}){8}'
        run_command "udhcpc -i eth0 -n -q -t 3 && ip -4 addr show eth0" 30
        must_contain "virtio-net gets a DHCP lease" 'inet 10\.0\.2\.15/24'
        run_command "timeout 1 counter" 10
        must_contain "counter counts" '^count 3'
        run_command "timeout 4 dirtymem 16 0 1" 30
        must_contain "dirtymem verifies its checksum" 'dirtymem: pass=[0-9]+ checksum=[0-9a-f]{16} ok'
        run_command "fpcheck" 120
        must_contain "fpcheck: rounding, flags and misaligned accesses as IEEE 754 and the ISA say" '^fpcheck: ok'
    fi
    printf 'poweroff\n' >&"${QEMU[1]}"
    status=0
    wait "$qemu_pid" || status=$?
    if ((status != 0)); then
        echo "check-on-qemu: QEMU exited with status $status after poweroff; see $transcript" >&2
        exit 1
    fi
    echo "check-on-qemu: run $run: poweroff ended QEMU with status 0" >&2
done
median="$(printf '%s\n' "${boot_times[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')"
echo "check-on-qemu: time from QEMU start to shell prompt: ${boot_times[*]} s (median $median s)" >&2
