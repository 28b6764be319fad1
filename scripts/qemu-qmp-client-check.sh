#!/usr/bin/env bash
# Interop check: QEMU's own Python QMP client library, qmp-shell and qom-tree, taken unchanged
# from Debian's qemu source package (fetched into the cache, never into the repository), drive a
# running osgemu as they drive QEMU: greeting, negotiation, query commands, stop/cont with the
# STOP event, an error class, the schema, human-monitor-command, qom-list/qom-get, quit.
# Prints each step and ends with "qemu-qmp-client-check: ok" or fails at the first difference.
# Usage: scripts/qemu-qmp-client-check.sh   (needs osgemu built: scripts/test or ./osgemu -h)
set -euo pipefail
top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$top/scripts/lib.sh"
. "$top/guests/common.sh"
osgemu_apt python3 dpkg-dev xz-utils
guest_enable_deb_src
cache="$(dirname "$(guest_cache_root)")/qemu-python"
mkdir -p "$cache"
if [ ! -d "$cache/python/qemu/qmp" ]; then
    work="$(mktemp -d)"
    (cd "$work" && apt-get source --download-only -q qemu >/dev/null 2>&1)
    tar -C "$work" -xJf "$work"/qemu_*.orig.tar.xz --wildcards '*/python/qemu/qmp/*' '*/python/qemu/utils/*' '*/scripts/qmp/qom-tree'
    rm -rf "$cache"/python "$cache"/scripts
    mv "$work"/qemu-*/python "$work"/qemu-*/scripts "$cache"/
    rm -rf "$work"
fi
run="$(mktemp -d)"
trap 'kill $(cat "$run/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$run"' EXIT
baremetal="$("$top/guests/build-baremetal.sh")"
"$top/osgemu" -M virt -nographic -bios none -kernel "$baremetal/spin.elf" -serial "file:$run/serial" \
    -qmp "unix:$run/qmp.sock,server=on,wait=off" </dev/null >"$run/out" 2>&1 &
echo $! >"$run/pid"
for _ in $(seq 300); do [ -S "$run/qmp.sock" ] && break; sleep 0.1; done
export PYTHONPATH="$cache/python"
python3 - "$run/qmp.sock" <<'PY'
import asyncio, sys
from qemu.qmp import QMPClient, ExecuteError

async def main(path):
    qmp = QMPClient("osgemu-interop")
    await qmp.connect(path)
    print("greeting:", qmp.greeting)
    for command in ("query-version", "query-status", "query-name", "query-target", "query-cpus-fast", "query-chardev"):
        print(command + ":", await qmp.execute(command))
    with qmp.listener(("STOP",)) as listener:
        await qmp.execute("stop")
        event = await asyncio.wait_for(listener.get(), 10)
        print("event:", event["event"], event["timestamp"])
    assert (await qmp.execute("query-status"))["status"] == "paused"
    await qmp.execute("cont")
    try:
        await qmp.execute("no-such-command")
        raise AssertionError("an unknown command succeeded")
    except ExecuteError as e:
        assert e.error_class == "CommandNotFound", e.error_class
        print("error:", e.error_class, "-", e)
    schema = await qmp.execute("query-qmp-schema")
    print("query-qmp-schema:", len(schema), "entries")
    print("human-monitor-command:", (await qmp.execute("human-monitor-command", {"command-line": "info status"})).strip())
    print("qom-get /machine type:", await qmp.execute("qom-get", {"path": "/machine", "property": "type"}))
    await qmp.disconnect()

asyncio.run(main(sys.argv[1]))
PY
printf 'query-status\nqom-list path=/machine\n' | python3 -m qemu.qmp.qmp_shell "$run/qmp.sock" | tail -n +3
python3 "$cache/scripts/qmp/qom-tree" -s "$run/qmp.sock" >"$run/qom-tree"
head -12 "$run/qom-tree"
printf 'quit\n' | python3 -m qemu.qmp.qmp_shell "$run/qmp.sock" >/dev/null
for _ in $(seq 100); do kill -0 "$(cat "$run/pid")" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$(cat "$run/pid")" 2>/dev/null; then echo "osgemu did not quit" >&2; exit 1; fi
echo "qemu-qmp-client-check: ok"
