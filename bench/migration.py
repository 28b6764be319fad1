#!/usr/bin/env python3
"""Live-migration benchmark: osgemu and qemu-system-riscv64 side by side, same guest, same options.

For each case and emulator it starts a destination (-incoming tcp:127.0.0.1:PORT) and a source,
waits until the guest works, sets the same migration parameters on both emulators (max-bandwidth,
downtime-limit), runs `migrate` over QMP and polls `query-migrate` until the migration ended; it
then checks that the guest goes on at the destination. It reports the total time, the downtime
and the bytes sent as each emulator's own query-migrate gives them (medians over the runs), with
the ratios osgemu/QEMU.

Cases: the Linux test guest (guests/build-all.sh: the same kernel and initramfs on both, -smp 1
-m 512M, each emulator's own OpenSBI), booted to its shell and idle; then running the initramfs's
`dirtymem 64 RATE`, which rewrites a 64 MiB working set at RATE MiB/s (DIRTY_RATE, default 64;
0 = as fast as the guest can, which neither emulator's precopy catches up with at 128 MiB/s and
300 ms: a run that has not converged after CONVERGE_SECONDS is cancelled and reported as such);
then the same dirtying guest in postcopy (postcopy-ram on both sides, migrate-start-postcopy
POSTCOPY_AFTER seconds after migrate, default 0.3), which both emulators support.
At the destination the idle shell must answer a command, dirtymem must report again with its
checksum right. Then, osgemu only (QEMU has no such device), the bigstate device, whose loading
on the destination is slow, with and without switchover-ack: downtime of each and the ratio
(the bare-metal dirty-bigstate.elf guest, which checks the device).

Usage: bench/migration.py BAREMETAL_DIR KERNEL INITRD [RUNS]   (bench/migration.sh finds them)
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
DIRTY_RATE = int(os.environ.get("DIRTY_RATE", "64"))  # MiB/s dirtymem rewrites; 0 = unthrottled
CONVERGE_SECONDS = int(os.environ.get("CONVERGE_SECONDS", "180"))
POSTCOPY_AFTER = float(os.environ.get("POSTCOPY_AFTER", "0.3"))  # s from migrate to migrate-start-postcopy


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
    return subprocess.Popen([binary] + args, stdout=out, stderr=err, stdin=subprocess.PIPE, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, 9)
        process.wait()


class Guest:
    """What a case runs: the machine's options, how to get the guest working, how to see it go on."""

    def __init__(self, machine, ready, command=None, working=None, goes_on=None, answer=None):
        self.machine = machine    # options after -M virt -m 512M -nographic
        self.ready = ready        # console text once booted
        self.command = command    # typed on the source's console once ready (None: nothing)
        self.working = working    # console text once the command works (None: settle a moment)
        self.goes_on = goes_on    # destination console text that shows the guest goes on
        self.answer = answer      # (typed, expected): a command the destination's shell must answer


def linux(kernel, initrd, command=None):
    machine = ["-smp", "1", "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0"]
    if command is None:
        return Guest(machine, "~ # ", answer=("echo alive-$((6*7))", "alive-42"))
    # SIGUSR1 makes dirtymem check and report at once. Waiting for its own 2-second report would
    # do on osgemu, but QEMU 7.2's Linux guest sleeps through its timers after an incoming
    # migration (until a signal or another interrupt), so both destinations get the signal.
    return Guest(machine, "~ # ", command, "dirtymem: pass=", answer=("kill -USR1 $(pidof dirtymem)", "dirtymem: pass="))


def baremetal(program, ready, goes_on, extra=()):
    return Guest(["-bios", "none", "-kernel", program] + list(extra), ready, working=ready, goes_on=goes_on)


def type_line(process, line):
    process.stdin.write((line + "\n").encode())
    process.stdin.flush()


def migrate_once(emulator, guest, capabilities=(), postcopy_after=None):
    """One migration; returns (total-time ms, downtime ms, bytes) from the source's query-migrate, or None if it never converged.
    With postcopy_after (seconds), postcopy-ram is on at both sides and migrate-start-postcopy follows migrate that much later."""
    if postcopy_after is not None:
        capabilities = tuple(capabilities) + ("postcopy-ram",)
    workdir = tempfile.mkdtemp(prefix="osgemu-bench-")
    machine = ["-M", "virt", "-m", "512M", "-nographic"] + guest.machine
    port = free_port()
    src_sock, dst_sock = os.path.join(workdir, "src.sock"), os.path.join(workdir, "dst.sock")
    src_out, dst_out = os.path.join(workdir, "src.out"), os.path.join(workdir, "dst.out")
    dst = start(emulator, machine + ["-qmp", "unix:%s,server=on,wait=off" % dst_sock,
                                     "-incoming", "tcp:127.0.0.1:%d" % port], workdir, "dst")
    src = start(emulator, machine + ["-qmp", "unix:%s,server=on,wait=off" % src_sock], workdir, "src")
    try:
        qsrc, qdst = Qmp(src_sock, src), Qmp(dst_sock, dst)
        if not wait_for(src_out, guest.ready, src, 300):
            raise RuntimeError("%s: the guest never printed %r" % (emulator, guest.ready))
        if guest.command:
            type_line(src, guest.command)
        if guest.working:
            if not wait_for(src_out, guest.working, src, 120):
                raise RuntimeError("%s: the guest never printed %r" % (emulator, guest.working))
        else:
            time.sleep(3)  # the boot's last work (initcalls, the shell) is done; the guest idles
        for q in (qsrc, qdst):
            q.run("migrate-set-parameters", **{"max-bandwidth": BANDWIDTH, "downtime-limit": DOWNTIME_LIMIT})
            if capabilities:
                q.run("migrate-set-capabilities", capabilities=[{"capability": c, "state": True} for c in capabilities])
        qsrc.run("migrate", uri="tcp:127.0.0.1:%d" % port)
        if postcopy_after is not None:
            time.sleep(postcopy_after)
            qsrc.run("migrate-start-postcopy")
        deadline = time.time() + CONVERGE_SECONDS
        while True:
            info = qsrc.run("query-migrate")
            if info.get("status") in ("completed", "failed", "cancelled"):
                break
            if time.time() > deadline:
                qsrc.run("migrate_cancel")
                return None
            time.sleep(0.05)
        if info["status"] != "completed":
            raise RuntimeError("%s: migration %s: %s" % (emulator, info["status"], info.get("error-desc", "")))
        if guest.answer:
            # Typed once the destination runs, so that the answer's time does not include the load.
            while qdst.run("query-status")["status"] != "running":
                if dst.poll() is not None:
                    raise RuntimeError("%s: the destination ended" % emulator)
                time.sleep(0.05)
            type_line(dst, guest.answer[0])
        if guest.goes_on and not wait_for(dst_out, guest.goes_on, dst, 60):
            raise RuntimeError("%s: the guest did not go on at the destination" % emulator)
        if guest.answer:
            if not wait_for(dst_out, guest.answer[1], dst, 60):
                raise RuntimeError("%s: the shell did not answer at the destination" % emulator)
        for name in (src_out, dst_out):
            with open(name, errors="replace") as f:
                if "MISMATCH" in f.read():
                    raise RuntimeError("%s: the guest found its memory corrupted (%s)" % (emulator, name))
        qsrc.close()
        qdst.close()
        downtime = info.get("downtime")
        if downtime is not None and downtime > info["total-time"]:
            # QEMU 7.2 reports garbage downtime for some postcopy runs (more than the whole
            # migration took, hours): not a measurement, so left out of the median.
            print("  (%s reported downtime %d ms for a %d ms migration: ignored)" % (emulator, downtime, info["total-time"]))
            downtime = None
        return info["total-time"], downtime, info["ram"]["transferred"]
    finally:
        stop(src)
        stop(dst)
        shutil.rmtree(workdir, ignore_errors=True)


def median(values):
    return statistics.median(values) if values else float("nan")


def report(title, rows):
    """Prints medians over the runs that completed; a run that did not converge shows as 'none'."""
    print(title)
    print("  %-8s %12s %12s %14s" % ("", "total (ms)", "downtime (ms)", "sent (MiB)"))
    for name, runs in rows:
        done = [r for r in runs if r]
        print("  %-8s %12.0f %12.0f %14.1f   runs (total/downtime/MiB): %s" % (
            name, median([r[0] for r in done]), median([r[1] for r in done if r[1] is not None]), median([r[2] for r in done]) / (1 << 20),
            ", ".join("%d/%s/%.1f" % (r[0], "?" if r[1] is None else r[1], r[2] / (1 << 20)) if r else "none (no convergence in %d s)" % CONVERGE_SECONDS
                      for r in runs)))


def ratio(a, b):
    return "%.2f" % (a / b) if b and a == a and b == b else "n/a"  # x == x: not NaN, the median of no run


def main():
    baremetal_dir, kernel, initrd = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    print("Live migration over tcp on loopback, -m 512M, max-bandwidth 128 MiB/s, downtime-limit 300 ms, %d run(s) each" % runs)
    print("qemu: " + subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    rate = "%d MiB/s" % DIRTY_RATE if DIRTY_RATE else "unthrottled"
    dirtying = "dirtymem 64 %d 2 &" % DIRTY_RATE
    cases = [("Linux 6.1, -smp 1, idle at its shell", linux(kernel, initrd), None),
             ("Linux 6.1, -smp 1, running dirtymem 64 (%s)" % rate, linux(kernel, initrd, dirtying), None),
             ("Linux 6.1, -smp 1, running dirtymem 64 (%s), postcopy started %.1f s after migrate" % (rate, POSTCOPY_AFTER),
              linux(kernel, initrd, dirtying), POSTCOPY_AFTER)]
    for title, guest, postcopy_after in cases:
        results = {"osgemu": [], "qemu": []}
        for _ in range(runs):
            for emulator in ("osgemu", "qemu"):
                results[emulator].append(migrate_once(emulator, guest, postcopy_after=postcopy_after))
        report(title, results.items())
        o = [r for r in results["osgemu"] if r]
        q = [r for r in results["qemu"] if r]
        print("  ratio osgemu/qemu: total %s, downtime %s, bytes %s" % (
            ratio(median([r[0] for r in o]), median([r[0] for r in q])),
            ratio(median([r[1] for r in o if r[1] is not None]), median([r[1] for r in q if r[1] is not None])),
            ratio(median([r[2] for r in o]), median([r[2] for r in q]))))
    rounds = os.environ.get("BIGSTATE_ROUNDS", "96")
    size = os.environ.get("BIGSTATE_SIZE", "128M")
    device = ["-device", "bigstate,id=big0,size=%s,index-rounds=%s,dirty-rate=1M" % (size, rounds)]
    guest = baremetal(os.path.join(baremetal_dir, "dirty-bigstate.elf"), "dirty: pass 2 ", "dirty: pass", device)
    results = {"ack": [], "no-ack": []}
    for _ in range(runs):
        results["no-ack"].append(migrate_once("osgemu", guest, ("return-path",)))
        results["ack"].append(migrate_once("osgemu", guest, ("return-path", "switchover-ack")))
    report("bigstate device (%s, index-rounds=%s; slow to load), osgemu, return-path on both, bare-metal guest dirtying 16 MiB" % (size, rounds),
           [("no-ack", results["no-ack"]), ("ack", results["ack"])])
    print("  downtime without/with switchover-ack: %s" % ratio(median([r[1] for r in results["no-ack"] if r and r[1] is not None]),
                                                           median([r[1] for r in results["ack"] if r and r[1] is not None])))


if __name__ == "__main__":
    main()
