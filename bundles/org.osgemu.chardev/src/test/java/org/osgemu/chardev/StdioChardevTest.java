package org.osgemu.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StdioChardevTest {

    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final FlushCountingOutput screen = new FlushCountingOutput();
    private StdioChardev stdio;

    private StdioChardev open() throws IOException {
        stdio = new StdioChardev("serial0", new PipedInputStream(keyboard, 65536), screen, null);
        return stdio;
    }

    @AfterEach
    void close() {
        if (stdio != null) {
            stdio.close();
        }
    }

    @Test
    void outputIsWrittenAndFlushedAtOnce() throws IOException {
        open().write("login: ".getBytes(StandardCharsets.US_ASCII), 0, 7);
        assertEquals("login: ", screen.toString(StandardCharsets.US_ASCII));
        assertEquals(1, screen.flushes);
    }

    @Test
    void inputReachesTheFrontEndAsFastAsItHasRoom() throws IOException {
        FakeReceiver uart = new FakeReceiver(4);
        open().setReceiver(uart);
        keyboard.write("root\npassword\n".getBytes(StandardCharsets.US_ASCII));
        keyboard.flush();
        await(() -> uart.received().equals("root"));
        sleepPolls();
        assertEquals("root", uart.received(), "no room: the rest waits");
        uart.free(16);
        stdio.acceptInput();
        await(() -> uart.received().equals("root\npassword\n"));
        assertEquals(0, uart.overruns());
    }

    @Test
    void inputTypedBeforeAFrontEndConnectsIsKept() throws IOException {
        open();
        keyboard.write('y');
        keyboard.flush();
        sleepPolls();
        FakeReceiver uart = new FakeReceiver(16);
        stdio.setReceiver(uart);
        await(() -> uart.received().equals("y"));
    }

    @Test
    void closingEndsTheReaderThread() throws IOException {
        open();
        assertTrue(stdio.isReading());
        stdio.close();
        assertFalse(stdio.isReading());
        stdio = null;
    }

    private static void sleepPolls() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Standard output stand-in that counts flushes. */
    private static final class FlushCountingOutput extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }
}
