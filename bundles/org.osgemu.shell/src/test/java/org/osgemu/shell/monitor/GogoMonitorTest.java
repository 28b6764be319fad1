package org.osgemu.shell.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor in front of the real Gogo runtime. */
class GogoMonitorTest {

    /** Stands in for the shell's commands. */
    public static final class VmCommands {
        public String stop() {
            return "vm stopped";
        }
    }

    /** Stands in for Gogo's own {@code felix:stop}, which stops a bundle. */
    public static final class BundleCommands {
        public String stop(String bundle) {
            return "bundle " + bundle + " stopped";
        }

        public String lb() {
            return "bundle list";
        }
    }

    @Test
    void monitorPrefersOsgemuCommandsAndStillReachesTheOthers(@TempDir Path dir) {
        ThreadIOImpl threadIo = new ThreadIOImpl();
        threadIo.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIo);
        processor.addCommand("felix", new BundleCommands(), "stop");
        processor.addCommand("felix", new BundleCommands(), "lb");
        processor.addCommand("osgemu", new VmCommands(), "stop");
        Path socket = dir.resolve("hmp.sock");
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                MonitorServer server = new MonitorServer(MonitorSettings.unix("hmp", socket), processor);
                try (MonitorClient client = new MonitorClient(UnixDomainSocketAddress.of(socket))) {
                    client.readUntil("(osgemu) ");
                    client.send("stop");
                    assertEquals("vm stopped\r\n(osgemu) ", client.readUntil("(osgemu) "));
                    client.send("lb");
                    assertEquals("bundle list\r\n(osgemu) ", client.readUntil("(osgemu) "));
                    client.send("nosuchcommand");
                    assertEquals("error: Command not found: nosuchcommand\r\n(osgemu) ", client.readUntil("(osgemu) "));
                } finally {
                    server.close();
                }
            });
        } finally {
            processor.stop();
            threadIo.stop();
        }
    }
}
