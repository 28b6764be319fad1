#!/usr/bin/env bash
# Builds (or finds in the cache) the Linux test guest: kernel, initramfs and disk. Prints one
# KEY=PATH line each, for `eval` or `source <(...)` in tests and benchmarks:
#   KERNEL=.../Image  INITRD=.../initramfs.cpio.gz  DISK=.../disk.img
# Progress and errors go to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

kernel="$("$here/build-linux.sh")"
initrd="$("$here/build-initramfs.sh")"
disk="$("$here/build-disk.sh")"
echo "KERNEL=$kernel"
echo "INITRD=$initrd"
echo "DISK=$disk"
