# Shared helpers for osgemu's scripts: find JDK 25, install Debian packages when missing.

osgemu_java_home() {
    if [ -n "${JAVA_HOME:-}" ] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
        echo "$JAVA_HOME"; return 0
    fi
    for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-*; do
        if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25'; then
            echo "$d"; return 0
        fi
    done
    echo "osgemu: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm/temurin-25-jdk-*): install Temurin 25 or point JAVA_HOME at a JDK 25" >&2
    return 1
}

# osgemu_apt PKG... : installs the Debian packages that are not installed yet.
osgemu_apt() {
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "osgemu: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}
