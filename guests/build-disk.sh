#!/usr/bin/env bash
# Builds osgemu's test disk: a 64 MiB raw ext4 image whose root holds hello.txt, made with
# Debian's mkfs.ext4 (no loop mount, no root needed). Prints the path of disk.img in the cache
# directory. Tests must copy it before writing to it. Rebuilt only when this script or
# e2fsprogs change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/lib.sh"
. "$here/common.sh"

osgemu_apt e2fsprogs >&2

# Tests read this file back through the guest's virtio-blk driver.
hello_text="hello from the osgemu test disk"

build_disk() {
    local out=$1 work=$2
    mkdir "$work/root"
    printf '%s\n' "$hello_text" >"$work/root/hello.txt"
    touch -d @0 "$work/root" "$work/root/hello.txt"
    # A fixed UUID and label let tests name the file system (mount by UUID/LABEL, blkid).
    mkfs.ext4 -q -F -b 4096 -L osgemu-test \
        -U 0590b0a4-7e61-4c39-8a07-8f4c1c5d0e01 -E hash_seed=0590b0a4-7e61-4c39-8a07-8f4c1c5d0e02,root_owner=0:0 \
        -d "$work/root" "$out/disk.img" 64M
}

hash="$(guest_hash "$here/build-disk.sh" "$here/common.sh" <<EOF
$(dpkg-query -W -f='${Package} ${Version}\n' e2fsprogs)
EOF
)"
guest_build_once disk "$hash" disk.img build_disk
