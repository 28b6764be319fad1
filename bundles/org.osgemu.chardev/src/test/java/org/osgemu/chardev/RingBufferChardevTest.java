package org.osgemu.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RingBufferChardevTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void keepsEverythingWhileItFits() {
        RingBufferChardev ring = new RingBufferChardev("serial0", 16);
        ring.write(bytes("boot"), 0, 4);
        ring.write(bytes("xxOK\n"), 2, 3);
        assertEquals("bootOK\n", text(ring.contents()));
        assertEquals("serial0", ring.id());
        assertEquals("ringbuf", ring.backend());
    }

    @Test
    void keepsOnlyTheLastSizeBytes() {
        RingBufferChardev ring = new RingBufferChardev("r", 5);
        ring.write(bytes("hello "), 0, 6);
        ring.write(bytes("world"), 0, 5);
        assertEquals("world", text(ring.contents()));
        ring.write(bytes("!"), 0, 1);
        assertEquals("orld!", text(ring.contents()));
        ring.write(bytes("a much longer line"), 0, 18);
        assertEquals(" line", text(ring.contents()));
        ring.clear();
        assertEquals("", text(ring.contents()));
    }

    @Test
    void injectedInputFollowsTheFrontEndsRoom() {
        RingBufferChardev ring = new RingBufferChardev("r", 64);
        FakeReceiver uart = new FakeReceiver(2);
        assertEquals(5, ring.send(bytes("login")), "queued before a front end exists");
        ring.setReceiver(uart);
        assertEquals("lo", uart.received());
        uart.free(16);
        ring.acceptInput();
        assertEquals("login", uart.received());
        assertEquals(0, uart.overruns());
    }

    @Test
    void aBadSizeOrMissingIdIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RingBufferChardev("r", 0));
        assertTrue(e.getMessage().contains(RingBufferChardev.PID) && e.getMessage().contains("size 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RingBufferChardev(new RingBufferChardev.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return RingBufferChardev.Config.class; }
            @Override public String id() { return null; }
            @Override public int size() { return 65536; }
        }));
        assertTrue(e.getMessage().contains(RingBufferChardev.PID) && e.getMessage().contains("'id'"), e.getMessage());
    }
}
