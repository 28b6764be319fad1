#!/usr/bin/env bash
# Builds the riscv64 Linux `Image` for osgemu's `virt` board from Debian's linux-source-6.1 with
# Debian's cross compiler: tinyconfig plus guests/linux/virt.config. Writes Image, System.map
# (to name addresses when debugging the emulator) and config into the cache directory and
# prints the path of Image. Rebuilt only when this script, the fragment, the kernel source
# package or the compiler change.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$here/../scripts/lib.sh"
. "$here/common.sh"

osgemu_apt linux-source-6.1 gcc-riscv64-linux-gnu gcc make libc6-dev flex bison bc xz-utils >&2
kernel_tarball=/usr/src/linux-source-6.1.tar.xz
kernel_version="$(dpkg-query -W -f='${Version}' linux-source-6.1)"
fragment="$here/linux/virt.config"

# Kbuild embeds these in the kernel (`uname -v`); fixed values make the Image the same on every
# machine for the same inputs.
export ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu-
export KBUILD_BUILD_USER=osgemu KBUILD_BUILD_HOST=guests KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_TIMESTAMP="linux-source-$kernel_version"

# unpacked_kernel_source : prints the directory of the unpacked source tree, unpacking it first
# if needed. The tree (1.5 GB, 79,000 files) stays in the cache, read-only, and builds go
# out-of-tree: on slow disks deleting it takes minutes, far longer than unpacking. An older
# version's tree is deleted when a new one is unpacked.
unpacked_kernel_source() {
    local src_root tree lock tmp
    src_root="$(guest_cache_root)/src"
    tree="$src_root/linux-source-6.1_$kernel_version"
    mkdir -p "$src_root"
    exec {lock}>"$src_root/.linux.lock"
    flock "$lock"
    if [ ! -f "$tree/Makefile" ]; then
        echo "osgemu: unpacking $kernel_tarball into $tree" >&2
        tmp="$(mktemp -d "$src_root/.linux.XXXXXX")"
        # Threaded xz: Debian's tarball is multi-block, so two cores halve the unpack time.
        xz -T2 -dc "$kernel_tarball" | tar -x -C "$tmp"
        mv "$tmp/linux-source-6.1" "$tree"
        rmdir "$tmp"
        find "$src_root" -mindepth 1 -maxdepth 1 -name 'linux-source-6.1_*' ! -path "$tree" -exec rm -rf {} +
    fi
    exec {lock}>&-
    echo "$tree"
}

build_kernel() {
    local out=$1 work=$2 tree=$3
    local kmake=(make -C "$tree" O="$work")
    "${kmake[@]}" tinyconfig
    (cd "$work" && "$tree/scripts/kconfig/merge_config.sh" -m .config "$fragment")
    "${kmake[@]}" olddefconfig
    guest_check_kconfig "$fragment" "$work/.config"
    "${kmake[@]}" -j2 Image
    cp "$work/arch/riscv/boot/Image" "$work/System.map" "$out/"
    cp "$work/.config" "$out/config"
}

hash="$(guest_hash "$here/build-linux.sh" "$here/common.sh" "$fragment" <<EOF
linux-source-6.1 $kernel_version
$(riscv64-linux-gnu-gcc --version | head -n 1)
$(riscv64-linux-gnu-ld --version | head -n 1)
EOF
)"
if [ ! -f "$(guest_cache_root)/$hash/Image" ]; then
    tree="$(unpacked_kernel_source)"
fi
guest_build_once linux "$hash" Image build_kernel "${tree:-}"
