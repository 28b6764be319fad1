#!/usr/bin/env bash
# Builds osgemu's test initramfs: busybox from Debian's source package, cross-built static for
# riscv64, our /init (guests/initramfs/init) and our test programs (guests/programs/*.c), packed
# as a gzip-compressed newc cpio. Prints the path of initramfs.cpio.gz in the cache directory.
# Rebuilt only when these files, the busybox source package or the compiler change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/lib.sh"
. "$here/common.sh"

osgemu_apt gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc make libc6-dev dpkg-dev cpio gzip >&2
guest_enable_deb_src
busybox_fragment="$here/initramfs/busybox.config"
programs=("$here"/programs/*.c)

# apply_busybox_fragment FRAGMENT CONFIG : sets every option of FRAGMENT in CONFIG, replacing the
# line that mentions it (busybox's old kconfig has no merge script of its own).
apply_busybox_fragment() {
    local fragment=$1 config=$2 line name
    while IFS= read -r line; do
        case "$line" in
            CONFIG_*=*) name="${line%%=*}" ;;
            "# CONFIG_"*" is not set") name="${line#\# }"; name="${name%% *}" ;;
            *) continue ;;
        esac
        grep -v -E "^(# )?${name}[= ]" "$config" >"$config.new" || true
        echo "$line" >>"$config.new"
        mv "$config.new" "$config"
    done <"$fragment"
}

build_initramfs() {
    local out=$1 work=$2
    local rootfs="$work/rootfs" cross=riscv64-linux-gnu- name program

    cd "$work"
    apt-get source -q busybox
    cd busybox-*/
    # busybox prints its build time in its banner; the Debian upload's date keeps it stable.
    SOURCE_DATE_EPOCH="$(dpkg-parsechangelog -STimestamp)"
    export SOURCE_DATE_EPOCH
    make CROSS_COMPILE=$cross defconfig
    apply_busybox_fragment "$busybox_fragment" .config
    # Options the fragment does not name keep their defconfig answers; nothing is asked.
    make CROSS_COMPILE=$cross oldconfig </dev/null
    guest_check_kconfig "$busybox_fragment" .config
    make CROSS_COMPILE=$cross -j2 busybox
    make CROSS_COMPILE=$cross CONFIG_PREFIX="$rootfs" install

    cd "$rootfs"
    mkdir -p dev proc sys tmp mnt root etc usr/share/udhcpc
    chmod 1777 tmp
    chmod 0700 root
    install -m 0755 "$here/initramfs/init" init
    for name in poweroff reboot halt; do
        rm -f "sbin/$name"
        install -m 0755 "$here/initramfs/shutdown" "sbin/$name"
    done
    install -m 0755 "$here/initramfs/udhcpc.script" usr/share/udhcpc/default.script
    printf 'root:x:0:0:root:/root:/bin/sh\n' >etc/passwd
    printf 'root:x:0:\n' >etc/group
    for program in "${programs[@]}"; do
        # -lm: fpcheck needs glibc's fenv and math functions (a no-op for the others).
        "${cross}gcc" -static -O2 -s -Wall -Wextra -Werror -o "usr/bin/$(basename "$program" .c)" "$program" -lm
    done

    # Same bytes for the same inputs: fixed times, owners and order, no name/time in the gzip.
    find . -exec touch -h -d @0 {} +
    find . -print0 | LC_ALL=C sort -z \
        | cpio --null --create --format=newc --owner=0:0 --reproducible --quiet \
        | gzip -9 -n >"$out/initramfs.cpio.gz"
}

hash="$(guest_hash "$here/build-initramfs.sh" "$here/common.sh" "$busybox_fragment" \
    "$here/initramfs/init" "$here/initramfs/shutdown" "$here/initramfs/udhcpc.script" "${programs[@]}" <<EOF
$(apt-get source --print-uris -qq busybox | awk '{ print $2, $4 }')
$(riscv64-linux-gnu-gcc --version | head -n 1)
$(dpkg-query -W -f='${Package} ${Version}\n' libc6-dev-riscv64-cross)
EOF
)"
guest_build_once initramfs "$hash" initramfs.cpio.gz build_initramfs
