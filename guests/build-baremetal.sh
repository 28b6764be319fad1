#!/usr/bin/env bash
# Builds osgemu's bare-metal test programs with Debian's gcc-riscv64-unknown-elf into the
# cache directory (never into the repository). Prints the directory holding the ELF files.
# Rebuilt only when the sources change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/lib.sh"
osgemu_apt gcc-riscv64-unknown-elf >&2
cache="${OSGEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/osgemu}/baremetal"
src="$here/baremetal"
stamp="$(cat "$src"/* "$0" | sha256sum | cut -c1-16)"
out="$cache/$stamp"
# The file built last marks a complete build.
if [ ! -f "$out/resettable.elf" ]; then
    mkdir -p "$out"
    cflags=(-march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany -O2 -ffreestanding -nostdlib -nostartfiles -static
            -Wall -Werror -T "$src/link.ld")
    riscv64-unknown-elf-gcc "${cflags[@]}" -DEXIT_STATUS=0 -o "$out/hello.elf" "$src/start.S" "$src/hello.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -DEXIT_STATUS=42 -o "$out/exit42.elf" "$src/start.S" "$src/hello.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -o "$out/counter.elf" "$src/start.S" "$src/counter.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -o "$out/spin.elf" "$src/start.S" "$src/spin.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -o "$out/dirty.elf" "$src/start.S" "$src/dirty.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -DWORKSET_MIB=16 -DPASS_MS=500 -o "$out/dirty16.elf" "$src/start.S" "$src/dirty.c"
    riscv64-unknown-elf-gcc "${cflags[@]}" -DWORKSET_MIB=16 -DPASS_MS=500 -DBIGSTATE -o "$out/dirty-bigstate.elf" "$src/start.S" "$src/dirty.c"
    # s11 is the program's marker for the monitor's `info registers`: keep the compiler off it.
    riscv64-unknown-elf-gcc "${cflags[@]}" -ffixed-s11 -o "$out/resettable.elf" "$src/start.S" "$src/resettable.c"
fi
echo "$out"
