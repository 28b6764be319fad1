package org.osgemu.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.chardev.Chardev;

class MuxChardevTest {

    private final FakeBackend terminal = new FakeBackend();
    private final AtomicInteger quits = new AtomicInteger();
    private final AtomicInteger syncs = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(5_000);
    private final FakeReceiver console = new FakeReceiver(1000);
    private final FocusRecordingReceiver monitor = new FocusRecordingReceiver();
    private MuxChardev mux;
    private Chardev consoleEnd;
    private Chardev monitorEnd;

    @BeforeEach
    void open() {
        mux = new MuxChardev("c0", terminal, List.of("serial0", "monitor0"), new MuxChardev.Actions() {
            @Override
            public void quit() {
                quits.incrementAndGet();
            }

            @Override
            public void syncDrives(Consumer<String> report) {
                syncs.incrementAndGet();
            }
        }, now::get);
        mux.open();
        consoleEnd = mux.frontEnds().get(0);
        monitorEnd = mux.frontEnds().get(1);
        consoleEnd.setReceiver(console);
        monitorEnd.setReceiver(monitor);
    }

    @Test
    void withoutCtrlAEveryByteReachesTheConsoleUnchanged() {
        terminal.type("hello\r\u0002\u007f");
        assertEquals("hello\r\u0002\u007f", console.received());
        assertEquals("", monitor.received());
        assertEquals("", terminal.takeOutput());
    }

    @Test
    void frontEndsAreChardevsWithTheGivenIds() {
        assertEquals("serial0", consoleEnd.id());
        assertEquals("monitor0", monitorEnd.id());
        assertEquals("mux", consoleEnd.backend());
    }

    @Test
    void ctrlAHPrintsTheHelpAndSendsNothing() {
        terminal.type("\u0001h");
        String help = terminal.takeOutput();
        assertTrue(help.contains("C-a x    exit the emulator"), help);
        assertTrue(help.contains("C-a c    switch between the console and the monitor"), help);
        assertEquals("", console.received());
        terminal.type("\u0001?");
        assertTrue(terminal.takeOutput().contains("C-a h    print this help"));
    }

    @Test
    void ctrlAXSaysTerminatedAndQuits() {
        terminal.type("\u0001x");
        assertEquals("osgemu: Terminated\r\n", terminal.takeOutput());
        assertEquals(1, quits.get());
        assertEquals("", console.received());
    }

    @Test
    void ctrlACtrlAAndCtrlAASendOneLiteralCtrlA() {
        terminal.type("1\u0001\u00012\u0001a3");
        assertEquals("1\u00012\u00013", console.received());
    }

    @Test
    void anEscapeSplitAcrossReadsStillWorks() {
        terminal.type("ab\u0001");
        assertEquals("ab", console.received());
        terminal.type("x");
        assertEquals(1, quits.get());
        terminal.type("\u0001");
        terminal.type("\u0001");
        assertEquals("ab\u0001", console.received());
    }

    @Test
    void anUnknownKeyAfterCtrlAIsDroppedAsQemuDoes() {
        terminal.type("\u0001zq");
        assertEquals("q", console.received());
        assertEquals(0, quits.get());
    }

    @Test
    void ctrlACMovesInputToTheMonitorAndBack() {
        terminal.type("r\u0001cinfo status\r");
        assertEquals("r", console.received());
        assertEquals("info status\r", monitor.received());
        assertEquals(List.of(true), monitor.focusEvents);
        assertEquals("monitor0", mux.focusedFrontEnd());

        terminal.type("\u0001cr");
        assertEquals("rr", console.received());
        assertEquals(List.of(true, false), monitor.focusEvents);
        assertEquals("serial0", mux.focusedFrontEnd());
    }

    @Test
    void theMonitorsOutputWaitsForTheFocusWhileTheConsoleAlwaysWritesThrough() {
        write(monitorEnd, "osgemu monitor\r\n(osgemu) ");
        write(consoleEnd, "tick 1\r\n");
        assertEquals("tick 1\r\n", terminal.takeOutput());

        terminal.type("\u0001c");
        assertEquals("osgemu monitor\r\n(osgemu) ", terminal.takeOutput());
        write(consoleEnd, "tick 2\r\n"); // as QEMU: the guest is not silenced while the monitor is in use
        write(monitorEnd, "VM status: running\r\n");
        assertEquals("tick 2\r\nVM status: running\r\n", terminal.takeOutput());

        terminal.type("\u0001c");
        write(monitorEnd, "late\r\n");
        assertEquals("", terminal.takeOutput());
    }

    @Test
    void heldOutputBeyondTheLimitKeepsTheNewestAndSaysWhatWasDropped() {
        byte[] big = new byte[MuxChardev.HELD_OUTPUT_LIMIT + 10];
        java.util.Arrays.fill(big, (byte) 'a');
        big[big.length - 1] = 'z';
        monitorEnd.write(big, 0, big.length);
        terminal.type("\u0001c");
        String out = terminal.takeOutput();
        assertTrue(out.startsWith("\r\n[osgemu: 10 bytes of monitor0 output were dropped]\r\n"), out.substring(0, 80));
        assertTrue(out.endsWith("az"));
    }

    @Test
    void ctrlATStampsEachLineFromTheNextLineOn() {
        terminal.type("\u0001t");
        write(consoleEnd, "one\r\n");
        write(consoleEnd, "two\r\n");
        assertEquals("one\r\n[00:00:00.000] two\r\n", terminal.takeOutput());
        now.addAndGet(3_723_004); // 1 h 2 min 3.004 s after the first stamp
        write(consoleEnd, "three\r\n");
        assertEquals("[01:02:03.004] three\r\n", terminal.takeOutput());
        terminal.type("\u0001t");
        write(consoleEnd, "four\r\n");
        assertEquals("four\r\n", terminal.takeOutput());
    }

    @Test
    void ctrlASAsksForTheDrivesToBeFlushed() {
        terminal.type("\u0001s");
        assertEquals(1, syncs.get());
        assertEquals("", console.received());
    }

    @Test
    void ctrlABGoesToTheFocusedFrontEndOrSaysItHasNoBreak() {
        terminal.type("\u0001b");
        assertTrue(terminal.takeOutput().contains("serial0 does not model a break"));
        terminal.type("\u0001c\u0001b");
        assertEquals(1, monitor.breaks);
        assertFalse(terminal.takeOutput().contains("does not model a break"));
    }

    @Test
    void inputWaitsForAFrontEndWithoutRoomAndArrivesWhenItTakesIt() {
        FakeReceiver slow = new FakeReceiver(2);
        consoleEnd.setReceiver(slow);
        terminal.type("abcd");
        assertEquals("ab", slow.received());
        slow.free(2);
        consoleEnd.acceptInput();
        assertEquals("abcd", slow.received());
        assertEquals(0, slow.overruns());
    }

    @Test
    void aConfigurationWithoutFrontEndsOrWithDuplicatesIsRefusedNamingTheMux() {
        MuxChardev.Actions none = new MuxChardev.Actions() {
            @Override
            public void quit() {
            }

            @Override
            public void syncDrives(Consumer<String> report) {
            }
        };
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> new MuxChardev("c9", terminal, List.of(), none, now::get));
        assertTrue(empty.getMessage().contains("osgemu.chardev.mux c9"), empty.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new MuxChardev("c9", terminal, List.of("a", "a"), none, now::get));
        assertTrue(twice.getMessage().contains("'a'"), twice.getMessage());
    }

    @Test
    void closingDisconnectsTheTerminal() {
        mux.close();
        assertEquals(null, terminal.receiver());
    }

    private static void write(Chardev frontEnd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        frontEnd.write(bytes, 0, bytes.length);
    }

    /** A monitor-like front end that records focus changes and breaks. */
    private static final class FocusRecordingReceiver implements org.osgemu.api.chardev.ChardevReceiver {
        private final StringBuilder received = new StringBuilder();
        final List<Boolean> focusEvents = new ArrayList<>();
        int breaks;

        @Override
        public int canReceive() {
            return 1000;
        }

        @Override
        public void receive(byte[] data, int offset, int length) {
            received.append(new String(data, offset, length, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void focusChanged(boolean focused) {
            focusEvents.add(focused);
        }

        @Override
        public boolean receiveBreak() {
            breaks++;
            return true;
        }

        String received() {
            return received.toString();
        }
    }
}
