package org.osgemu.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Test helper: the serial console of a qemu-system-riscv64 process running the Linux test guest. */
final class QemuConsole {

    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    QemuConsole(Process process) {
        this.process = process;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (out) {
                        out.write(buf, 0, n);
                        out.notifyAll();
                    }
                }
            } catch (IOException e) {
                // QEMU ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    void awaitPrompt(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (out) {
            while (!out.toString(StandardCharsets.UTF_8).contains(GuestShell.PROMPT)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("QEMU guest shows no prompt; console:\n" + out.toString(StandardCharsets.UTF_8));
                }
                out.wait(Math.min(left, 100));
            }
        }
    }

    /** Types a command; waits a moment for it to run (commands here are quick configuration steps). */
    void run(String command) throws IOException, InterruptedException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        Thread.sleep(1000);
    }
}
