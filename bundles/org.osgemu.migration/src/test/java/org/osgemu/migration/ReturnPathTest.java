package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.stream.ReturnPath;
import org.osgemu.migration.stream.ReturnPathMessage;

/** The return path's framing (u16 type, u16 length, payload) and what a source refuses in it. */
class ReturnPathTest {

    @Test
    void messagesGoBackInOrderWithQemusNumbersAndEndCleanly() throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ReturnPath.Writer writer = new ReturnPath.Writer(wire);
        writer.pong(1);
        writer.switchoverAck();
        writer.shut(false);

        byte[] bytes = wire.toByteArray();
        assertEquals("0002000400000001" + "00070000" + "0001000400000000", hex(bytes));
        ReturnPath.Reader reader = new ReturnPath.Reader(new ByteArrayInputStream(bytes));
        ReturnPath.Message pong = reader.next();
        assertEquals(ReturnPathMessage.PONG, pong.type());
        assertEquals(1, pong.u32());
        assertEquals(ReturnPathMessage.SWITCHOVER_ACK, reader.next().type());
        ReturnPath.Message shut = reader.next();
        assertEquals(ReturnPathMessage.SHUT, shut.type());
        assertEquals(0, shut.u32());
        assertNull(reader.next(), "the end of the return path between messages");
    }

    @Test
    void anUnknownTypeAWrongLengthAndACutMessageAreRefused() {
        assertEquals("return path: message of unknown type 9",
                refusal(new byte[] {0, 9, 0, 0}));
        assertEquals("return path: message SWITCHOVER_ACK: field length is 4, the message always has 0",
                refusal(new byte[] {0, 7, 0, 4, 0, 0, 0, 0}));
        assertEquals("return path: message REQ_PAGES_ID: field length is 600, more than 512",
                refusal(new byte[] {0, 3, 2, 88}));
        assertEquals("return path: the destination closed it in the middle of a message",
                refusal(new byte[] {0, 1, 0, 4, 0}));
    }

    private static String refusal(byte[] bytes) {
        ReturnPath.Reader reader = new ReturnPath.Reader(new ByteArrayInputStream(bytes));
        return assertThrows(MigrationException.class, reader::next).getMessage();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : Arrays.copyOf(bytes, bytes.length)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
