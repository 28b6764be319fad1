#!/usr/bin/env bash
# Benchmark: time from process start to the end of OpenSBI's banner (the "Boot HART MEDELEG" line)
# on osgemu and on qemu-system-riscv64, same firmware, same options, alternating runs in one go;
# prints each median and the ratio osgemu/QEMU. Usage: bench/opensbi-banner.sh [RUNS] [SMP]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$here/.."
. "$top/scripts/lib.sh"
. "$here/lib.sh"
osgemu_apt qemu-system-misc opensbi
runs=${1:-5}
smp=${2:-1}
fw=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
[ -f "$top/distribution/target/osgemu.jar" ] || { echo "build osgemu first (./osgemu -h or scripts/test)" >&2; exit 1; }
args=(-M virt -m 128M -smp "$smp" -nographic -bios "$fw")
pattern='Boot HART MEDELEG'
osg=(); qemu=()
for ((i = 0; i < runs; i++)); do
    osg+=("$(time_until "$pattern" 300 "$top/distribution/osgemu" "${args[@]}")")
    qemu+=("$(time_until "$pattern" 60 qemu-system-riscv64 "${args[@]}")")
done
report "OpenSBI banner, -smp $smp, $runs runs each" "${osg[*]}" "${qemu[*]}"
