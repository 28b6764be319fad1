#!/usr/bin/env bash
# Benchmark: time from process start to the Linux test guest's shell (its init's ready line) on osgemu
# and on qemu-system-riscv64, same kernel, initramfs and options, alternating runs in one go;
# prints each median and the ratio osgemu/QEMU. Usage: bench/linux-boot.sh [RUNS] [SMP]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$here/.."
. "$top/scripts/lib.sh"
. "$here/lib.sh"
osgemu_apt qemu-system-misc opensbi
runs=${1:-3}
smp=${2:-2}
eval "$("$top/guests/build-all.sh")"
[ -f "$top/distribution/target/osgemu.jar" ] || { echo "build osgemu first (./osgemu -h or scripts/test)" >&2; exit 1; }
args=(-M virt -smp "$smp" -m 512M -nographic -kernel "$KERNEL" -initrd "$INITRD" -append "console=ttyS0")
# The init prints this line right before it starts the shell (the prompt itself ends with no newline).
pattern='osgemu-init: ready'
osg=(); qemu=()
for ((i = 0; i < runs; i++)); do
    osg+=("$(time_until "$pattern" 900 "$top/distribution/osgemu" "${args[@]}")")
    qemu+=("$(time_until "$pattern" 120 qemu-system-riscv64 "${args[@]}")")
done
report "Linux 6.1 to the shell prompt, -smp $smp -m 512M, $runs runs each" "${osg[*]}" "${qemu[*]}"
