package org.osgemu.shell.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StdioListenerTest {

    private final FakeCommandProcessor processor = new FakeCommandProcessor();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void runsLinesUntilEndOfInputThenStops() throws Exception {
        PipedInputStream in = new PipedInputStream();
        PipedOutputStream keyboard = new PipedOutputStream(in);
        StdioListener listener = new StdioListener(MonitorSettings.stdio("mon0"), new MonitorConnection(processor),
                in, in, output);
        listener.start();

        keyboard.write("echo hi\n".getBytes(StandardCharsets.UTF_8));
        keyboard.close();
        waitUntilStopped(listener);

        assertEquals("osgemu monitor - type 'help' for more information\r\n(osgemu) [hi]\r\n(osgemu) ",
                output.toString(StandardCharsets.UTF_8));
        listener.close();
    }

    @Test
    void closingStopsAReaderThatWaitsForInput() throws IOException {
        PipedInputStream in = new PipedInputStream();
        try (PipedOutputStream keyboard = new PipedOutputStream(in)) {
            StdioListener listener = new StdioListener(MonitorSettings.stdio("mon0"),
                    new MonitorConnection(processor), in, in, output);
            listener.start();
            assertTrue(listener.isRunning());

            listener.close();

            assertFalse(listener.isRunning());
        }
    }

    private static void waitUntilStopped(StdioListener listener) throws InterruptedException {
        for (int i = 0; i < 200 && listener.isRunning(); i++) {
            Thread.sleep(50);
        }
        assertFalse(listener.isRunning(), "the stdio thread should end at end of input");
    }
}
