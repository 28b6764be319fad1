# shellcheck shell=bash
# Shared by guests/build-*.sh (sourced after scripts/lib.sh): where outputs are cached, how the
# inputs are hashed, how a build runs at most once per input hash, and the deb-src setup that
# `apt-get source` needs.

guests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# The directory that holds one sub-directory per input hash.
guest_cache_root() {
    echo "${OSGEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/osgemu}/guests"
}

# guest_hash FILE... : 16 hex digits over the files (path under guests/ and content) and the
# lines read from stdin (versions of the Debian packages and compilers involved). The path is
# hashed too, so moving a line from one input file to another still changes the hash.
guest_hash() {
    {
        local f
        for f in "$@"; do
            printf '== %s\n' "${f#"$guests_dir"/}"
            cat "$f"
        done
        printf '== versions\n'
        cat
    } | sha256sum | cut -c1-16
}

# guest_build_once NAME HASH FILE BUILD_FUNCTION [ARG...] : unless <cache>/HASH/FILE exists,
# calls BUILD_FUNCTION OUT_DIR WORK_DIR ARG... with an empty OUT_DIR and a scratch WORK_DIR
# (both deleted or published afterwards, so it need not clean up), then publishes
# OUT_DIR as <cache>/HASH in one rename, so an interrupted build never looks finished. A lock per
# hash lets two callers race safely. BUILD_FUNCTION declares its variables `local` (bash's
# dynamic scoping would let it overwrite ours). The build's output goes to <cache>/logs/NAME-HASH.log; on
# failure its tail is shown. Prints the path of FILE.
guest_build_once() {
    local name=$1 hash=$2 file=$3 build=$4
    shift 4
    local root out
    root="$(guest_cache_root)"
    out="$root/$hash"
    if [ ! -f "$out/$file" ]; then
        mkdir -p "$root/logs"
        local lock
        exec {lock}>"$root/.$hash.lock"
        flock "$lock"
        if [ ! -f "$out/$file" ]; then
            local tmp log
            tmp="$(mktemp -d "$root/.$hash.XXXXXX")"
            log="$root/logs/$name-$hash.log"
            # A plain command (not `f || ...`), so that `set -e` still stops the build function
            # at its first failing step; the trap cleans up and shows why.
            # shellcheck disable=SC2064 # expanded now on purpose: our locals are gone at exit
            trap "rm -rf $(printf %q "$tmp"); echo 'osgemu: building $name failed; last lines of $log:' >&2; tail -n 25 $(printf %q "$log") >&2" EXIT
            echo "osgemu: building $name ($hash), log in $log" >&2
            local started=$SECONDS
            mkdir "$tmp/out" "$tmp/work"
            "$build" "$tmp/out" "$tmp/work" "$@" >"$log" 2>&1
            trap - EXIT
            rm -rf "$out"
            mv "$tmp/out" "$out"
            rm -rf "$tmp"
            echo "osgemu: built $name in $((SECONDS - started)) s" >&2
        fi
        exec {lock}>&-
    fi
    echo "$out/$file"
}

# guest_check_kconfig FRAGMENT CONFIG : fails naming every option of FRAGMENT that CONFIG does
# not hold as written (Kconfig silently drops options whose dependencies are missing).
guest_check_kconfig() {
    local fragment=$1 config=$2 line name bad=0
    while IFS= read -r line; do
        case "$line" in
            CONFIG_*=*)
                grep -qxF "$line" "$config" || { echo "osgemu: $fragment asks for $line but the config has: $(grep -E "^(# )?${line%%=*}[= ]" "$config" || echo 'nothing (option unknown or unreachable)')" >&2; bad=1; } ;;
            "# CONFIG_"*" is not set")
                name="${line#\# }"; name="${name%% *}"
                if grep -q "^$name=" "$config"; then
                    echo "osgemu: $fragment turns $name off but the config has: $(grep "^$name=" "$config")" >&2; bad=1
                fi ;;
        esac
    done <"$fragment"
    return $bad
}

# guest_enable_deb_src : makes `apt-get source` work. Debian 12's image lists only `deb`
# entries; this adds a `deb-src` entry for each of them that serves this Debian release (same
# host, suite and component, so sources match the installed binaries), then refreshes the
# package lists once. Does nothing when source packages are already listed.
guest_enable_deb_src() {
    if apt-cache showsrc busybox 2>/dev/null | grep -q '^Package: busybox'; then
        return 0
    fi
    local codename entries sudo="" signed=""
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:?}")"
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
    # apt-get indextargets lists the configured `deb` entries whatever the file format
    # (one-line sources.list or deb822 .sources).
    # shellcheck disable=SC2016 # $(...) here is apt's field syntax, not the shell's
    entries="$(apt-get indextargets --format '$(TARGET_OF) $(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' \
        | awk -v rel="$codename" -v signed="$signed" \
            '$1 == "deb" && ($3 == rel || index($3, rel "-") == 1) { print "deb-src " signed $2 " " $3 " " $4 }' | sort -u)"
    if [ -z "$entries" ]; then
        echo "osgemu: the apt sources have no 'deb' entry for Debian $codename; add one, then run again" >&2
        return 1
    fi
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "osgemu: adding deb-src entries to /etc/apt/sources.list.d/osgemu-deb-src.list:" >&2
    echo "$entries" >&2
    echo "$entries" | $sudo tee /etc/apt/sources.list.d/osgemu-deb-src.list >/dev/null
    $sudo apt-get update -q >/dev/null
}
