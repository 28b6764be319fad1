package org.osgemu.chardev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NullChardevTest {

    @Test
    void swallowsOutputAndGivesNoInput() {
        NullChardev none = new NullChardev("n0");
        FakeReceiver uart = new FakeReceiver(16);
        none.setReceiver(uart);
        none.write(new byte[] {1, 2, 3}, 0, 3);
        none.acceptInput();
        assertEquals("", uart.received());
        assertEquals("null", none.backend());
        assertEquals("n0", none.id());
    }

    @Test
    void idIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NullChardev(new NullChardev.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return NullChardev.Config.class; }
            @Override public String id() { return " "; }
        }));
        assertTrue(e.getMessage().contains(NullChardev.PID), e.getMessage());
    }
}
