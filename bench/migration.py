#!/usr/bin/env python3
"""Live-migration benchmark: osgemu and qemu-system-riscv64 side by side, same guest, same options.

For each case and emulator it starts a destination (-incoming tcp:127.0.0.1:PORT) and a source,
waits until the guest works, sets the same migration parameters on both emulators (max-bandwidth,
downtime-limit), runs `migrate` over QMP and polls `query-migrate` until the migration ended; it
then checks that the guest goes on at the destination. It reports the total time, the downtime
and the bytes sent as each emulator's own query-migrate gives them (medians over the runs), with
the ratios osgemu/QEMU.

Cases: the guest idle (spin.elf, waits for interrupts) and the guest dirtying a 64 MiB working
set (dirty.elf, a pass every 2 s: 32 MiB/s). Then, osgemu only (QEMU has no such device), the
bigstate device, whose loading on the destination is slow, with and without switchover-ack:
downtime of each and the ratio.

Usage: bench/migration.py BAREMETAL_DIR [RUNS]   (bench/migration.sh finds the directory)
"""
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OSGEMU = os.path.join(TOP, "distribution", "osgemu")
QEMU = shutil.which("qemu-system-riscv64") or "qemu-system-riscv64"
BANDWIDTH = 128 << 20  # bytes/s, QEMU 8's default (7.2's is 32 MiB/s): set explicitly on both
DOWNTIME_LIMIT = 300   # ms, the default of both


class Qmp:
    """A QMP client on a unix socket: one command at a time, events kept aside."""

    def __init__(self, path, process, timeout=120):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError("no QMP server on " + path)
                time.sleep(0.1)
        self.file = self.sock.makefile("rwb")
        json.loads(self.file.readline())
        self.run("qmp_capabilities")

    def run(self, command, **arguments):
        request = {"execute": command}
        if arguments:
            request["arguments"] = arguments
        self.file.write(json.dumps(request).encode() + b"\n")
        self.file.flush()
        while True:
            answer = json.loads(self.file.readline())
            if "event" in answer:
                continue
            if "error" in answer:
                raise RuntimeError(command + ": " + answer["error"]["desc"])
            return answer["return"]

    def close(self):
        self.sock.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(path, text, process, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(path, errors="replace") as f:
            if text in f.read():
                return True
        if process.poll() is not None:
            return False
        time.sleep(0.1)
    return False


def start(emulator, args, workdir, name):
    out = open(os.path.join(workdir, name + ".out"), "w")
    err = open(os.path.join(workdir, name + ".err"), "w")
    binary = OSGEMU if emulator == "osgemu" else QEMU
    return subprocess.Popen([binary] + args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, 9)
        process.wait()


def migrate_once(emulator, program, ready, extra=(), capabilities=(), resumed="dirty: pass"):
    """One migration; returns (total-time ms, downtime ms, bytes) from the source's query-migrate."""
    workdir = tempfile.mkdtemp(prefix="osgemu-bench-")
    machine = ["-M", "virt", "-m", "512M", "-nographic", "-bios", "none", "-kernel", program] + list(extra)
    port = free_port()
    src_sock, dst_sock = os.path.join(workdir, "src.sock"), os.path.join(workdir, "dst.sock")
    dst = start(emulator, machine + ["-qmp", "unix:%s,server=on,wait=off" % dst_sock,
                                     "-incoming", "tcp:127.0.0.1:%d" % port], workdir, "dst")
    src = start(emulator, machine + ["-qmp", "unix:%s,server=on,wait=off" % src_sock], workdir, "src")
    try:
        qsrc, qdst = Qmp(src_sock, src), Qmp(dst_sock, dst)
        if not wait_for(os.path.join(workdir, "src.out"), ready, src, 300):
            raise RuntimeError("%s: the guest never printed %r" % (emulator, ready))
        for q in (qsrc, qdst):
            q.run("migrate-set-parameters", **{"max-bandwidth": BANDWIDTH, "downtime-limit": DOWNTIME_LIMIT})
            if capabilities:
                q.run("migrate-set-capabilities", capabilities=[{"capability": c, "state": True} for c in capabilities])
        qsrc.run("migrate", uri="tcp:127.0.0.1:%d" % port)
        while True:
            info = qsrc.run("query-migrate")
            if info.get("status") in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.05)
        if info["status"] != "completed":
            raise RuntimeError("%s: migration %s: %s" % (emulator, info["status"], info.get("error-desc", "")))
        if resumed and not wait_for(os.path.join(workdir, "dst.out"), resumed, dst, 60):
            raise RuntimeError("%s: the guest did not go on at the destination" % emulator)
        for name in ("src.out", "dst.out"):
            with open(os.path.join(workdir, name), errors="replace") as f:
                if "MISMATCH" in f.read():
                    raise RuntimeError("%s: the guest found its memory corrupted (%s)" % (emulator, name))
        qsrc.close()
        qdst.close()
        return info["total-time"], info["downtime"], info["ram"]["transferred"]
    finally:
        stop(src)
        stop(dst)
        shutil.rmtree(workdir, ignore_errors=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def report(title, rows):
    print(title)
    print("  %-8s %12s %12s %14s" % ("", "total (ms)", "downtime (ms)", "sent (MiB)"))
    for name, runs in rows:
        print("  %-8s %12.0f %12.0f %14.1f   runs: %s" % (name, median([r[0] for r in runs]), median([r[1] for r in runs]),
                                                     median([r[2] for r in runs]) / (1 << 20),
                                                     ", ".join("%d/%d/%.1f" % (t, d, b / (1 << 20)) for t, d, b in runs)))


def ratio(a, b):
    return "%.2f" % (a / b) if b else "n/a"


def main():
    baremetal = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print("Live migration over tcp on loopback, -m 512M, max-bandwidth 128 MiB/s, downtime-limit 300 ms, %d run(s) each" % runs)
    print("qemu: " + subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    cases = [("guest idle (spin.elf)", os.path.join(baremetal, "spin.elf"), "running until stopped", None),
             ("guest dirtying 64 MiB (dirty.elf, 32 MiB/s)", os.path.join(baremetal, "dirty.elf"), "dirty: pass 2 ", "dirty: pass")]
    for title, program, ready, resumed in cases:
        results = {"osgemu": [], "qemu": []}
        for _ in range(runs):
            for emulator in ("osgemu", "qemu"):
                results[emulator].append(migrate_once(emulator, program, ready, resumed=resumed))
        report(title, results.items())
        o, q = results["osgemu"], results["qemu"]
        print("  ratio osgemu/qemu: total %s, downtime %s, bytes %s" % (
            ratio(median([r[0] for r in o]), median([r[0] for r in q])),
            ratio(median([r[1] for r in o]), median([r[1] for r in q])),
            ratio(median([r[2] for r in o]), median([r[2] for r in q]))))
    rounds = os.environ.get("BIGSTATE_ROUNDS", "96")
    size = os.environ.get("BIGSTATE_SIZE", "128M")
    device = ["-device", "bigstate,id=big0,size=%s,index-rounds=%s,dirty-rate=1M" % (size, rounds)]
    program = os.path.join(baremetal, "dirty-bigstate.elf")
    results = {"ack": [], "no-ack": []}
    for _ in range(runs):
        results["no-ack"].append(migrate_once("osgemu", program, "dirty: pass 2 ", device, ("return-path",)))
        results["ack"].append(migrate_once("osgemu", program, "dirty: pass 2 ", device, ("return-path", "switchover-ack")))
    report("bigstate device (%s, index-rounds=%s; slow to load), osgemu, return-path on both, guest dirtying 16 MiB" % (size, rounds),
           [("no-ack", results["no-ack"]), ("ack", results["ack"])])
    print("  downtime without/with switchover-ack: %s" % ratio(median([r[1] for r in results["no-ack"]]),
                                                           median([r[1] for r in results["ack"]])))


if __name__ == "__main__":
    main()
