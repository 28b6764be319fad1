#!/usr/bin/env bash
# Benchmark: live migration on osgemu and on qemu-system-riscv64 side by side in one run (the same
# Linux kernel and initramfs from guests/build-all.sh, -smp 1 -m 512M, same migration parameters):
# guest idle, guest dirtying 64 MiB, and the same in postcopy: total time, downtime and bytes sent as each one's
# query-migrate reports them, with the ratios; then osgemu's bigstate device with and without
# switchover-ack (bare-metal guest). See bench/migration.py.
# Usage: bench/migration.sh [RUNS]   (DIRTY_RATE, CONVERGE_SECONDS, POSTCOPY_AFTER, BIGSTATE_SIZE, BIGSTATE_ROUNDS
# tune the cases; OSGEMU_KERNEL and OSGEMU_INITRD, if set, name the guest instead of build-all.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$here/.."
. "$top/scripts/lib.sh"
osgemu_apt qemu-system-misc opensbi python3 gcc-riscv64-unknown-elf
[ -f "$top/distribution/target/osgemu.jar" ] || { echo "build osgemu first (./osgemu -h or scripts/test)" >&2; exit 1; }
baremetal="$("$top/guests/build-baremetal.sh")"
if [ -n "${OSGEMU_KERNEL:-}" ] && [ -n "${OSGEMU_INITRD:-}" ]; then
    KERNEL=$OSGEMU_KERNEL INITRD=$OSGEMU_INITRD
else
    eval "$("$top/guests/build-all.sh")"
fi
exec /usr/bin/python3 "$here/migration.py" "$baremetal" "$KERNEL" "$INITRD" "${1:-3}"
