#!/usr/bin/env bash
# Benchmark: live migration on osgemu and on qemu-system-riscv64 side by side in one run (same
# bare-metal guests, -m 512M, same migration parameters): guest idle and guest dirtying 64 MiB,
# total time, downtime and bytes sent as each one's query-migrate reports them, with the ratios;
# then osgemu's bigstate device with and without switchover-ack. See bench/migration.py.
# Usage: bench/migration.sh [RUNS]   (BIGSTATE_SIZE, BIGSTATE_ROUNDS tune the slow device)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$here/.."
. "$top/scripts/lib.sh"
osgemu_apt qemu-system-misc python3 gcc-riscv64-unknown-elf
[ -f "$top/distribution/target/osgemu.jar" ] || { echo "build osgemu first (./osgemu -h or scripts/test)" >&2; exit 1; }
baremetal="$("$top/guests/build-baremetal.sh")"
exec /usr/bin/python3 "$here/migration.py" "$baremetal" "${1:-3}"
