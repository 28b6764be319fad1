package org.osgemu.shell.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.chardev.Chardev;
import org.osgemu.api.chardev.ChardevReceiver;

class ChardevMonitorTest {

    private final FakeChardev chardev = new FakeChardev();
    private final ChardevMonitor monitor = new ChardevMonitor("monitor0", new MonitorConnection(new FakeCommandProcessor()), chardev);

    @AfterEach
    void close() {
        monitor.close();
    }

    @Test
    void greetsRunsATypedLineAndEchoesWhatIsTyped() throws Exception {
        awaitOutput("(osgemu) ");
        chardev.type("echo hi\r");
        String out = awaitOutput("[hi]\r\n(osgemu) ");
        assertEquals("osgemu monitor - type 'help' for more information\r\n(osgemu) echo hi\r\n[hi]\r\n(osgemu) ", out);
    }

    @Test
    void backspaceErasesAndCursorKeysAreIgnored() throws Exception {
        awaitOutput("(osgemu) ");
        chardev.type("echo hx\u007fi\u001b[A\r\n");
        String out = awaitOutput("[hi]");
        assertTrue(out.contains("echo hx\b \bi\r\n[hi]"), out);
    }

    @Test
    void gettingTheTerminalBackShowsThePromptAndTheLineSoFar() throws Exception {
        awaitOutput("(osgemu) ");
        chardev.receiver.focusChanged(true); // the first focus shows the greeting the mux held
        chardev.type("echo ha");
        chardev.receiver.focusChanged(false);
        chardev.output.reset();
        chardev.receiver.focusChanged(true);
        assertEquals("\r\n(osgemu) echo ha", chardev.output());
    }

    @Test
    void closingDisconnectsAndEndsTheThread() throws Exception {
        awaitOutput("(osgemu) ");
        monitor.close();
        assertNull(chardev.receiver);
        assertFalse(monitor.isRunning());
    }

    private String awaitOutput(String text) throws InterruptedException {
        for (int i = 0; i < 200 && !chardev.output().contains(text); i++) {
            Thread.sleep(25);
        }
        assertTrue(chardev.output().contains(text), chardev.output());
        return chardev.output();
    }

    /** A chardev standing for the monitor side of a mux: records output, types input. */
    private static final class FakeChardev implements Chardev {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        volatile ChardevReceiver receiver;

        @Override
        public String id() {
            return "monitor0";
        }

        @Override
        public String backend() {
            return "mux";
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            synchronized (output) {
                output.write(data, offset, length);
            }
        }

        @Override
        public void setReceiver(ChardevReceiver receiver) {
            this.receiver = receiver;
        }

        void type(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertTrue(receiver.canReceive() >= bytes.length);
            receiver.receive(bytes, 0, bytes.length);
        }

        String output() {
            synchronized (output) {
                return output.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
