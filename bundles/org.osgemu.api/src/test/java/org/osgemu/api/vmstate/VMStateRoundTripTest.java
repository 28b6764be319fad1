package org.osgemu.api.vmstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.States.Everything;

/** Saving a state and loading it back gives the same state, in QEMU's big-endian wire layout. */
class VMStateRoundTripTest {

    static final VMStateDescription<Everything> EVERYTHING = VMStateDescription.builder("dev", Everything.class)
            .bool("flag").u8("u8").u16("u16").u32("u32").u32("u32AsLong").i32("i32").u64("u64").i64("i64")
            .bytes("fixedBytes", 3).bytesVariable("moreBytes", 8)
            .u32Array("fixedWords", 2).u32ArrayVariable("moreWords", 4)
            .u64Array("fixedLongs", 1).u64ArrayVariable("moreLongs", 4)
            .string("text", 16)
            .build();

    /** Extreme values of every type: highest unsigned, most negative signed, text beyond ASCII. */
    static Everything extremes() {
        return new Everything(true, 0xFF, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFFL, Integer.MIN_VALUE, -1L, Long.MIN_VALUE,
                new byte[] {1, 2, (byte) 0xFF}, new byte[] {9, 8}, new int[] {-1, 7}, new int[] {1, 2, 3},
                new long[] {Long.MAX_VALUE}, new long[0], "Grüße ✓");
    }

    @Test
    void everyFieldTypeComesBackUnchanged() throws VMStateException {
        Everything in = extremes();

        Everything out = EVERYTHING.load(EVERYTHING.save(in), 1);

        assertEquals(in.flag(), out.flag());
        assertEquals(in.u8(), out.u8());
        assertEquals(in.u16(), out.u16());
        assertEquals(in.u32(), out.u32());
        assertEquals(in.u32AsLong(), out.u32AsLong());
        assertEquals(in.i32(), out.i32());
        assertEquals(in.u64(), out.u64());
        assertEquals(in.i64(), out.i64());
        assertArrayEquals(in.fixedBytes(), out.fixedBytes());
        assertArrayEquals(in.moreBytes(), out.moreBytes());
        assertArrayEquals(in.fixedWords(), out.fixedWords());
        assertArrayEquals(in.moreWords(), out.moreWords());
        assertArrayEquals(in.fixedLongs(), out.fixedLongs());
        assertArrayEquals(in.moreLongs(), out.moreLongs());
        assertEquals(in.text(), out.text());
    }

    @Test
    void theWireLayoutIsBigEndianWithCountsOnlyBeforeVariableSequences() throws IOException {
        Everything in = extremes();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(1);
        out.writeByte(0xFF);
        out.writeShort(0xFFFF);
        out.writeInt(-1);
        out.writeInt(-1);
        out.writeInt(Integer.MIN_VALUE);
        out.writeLong(-1L);
        out.writeLong(Long.MIN_VALUE);
        out.write(new byte[] {1, 2, (byte) 0xFF});          // fixed: no count
        out.writeInt(2);
        out.write(new byte[] {9, 8});
        out.writeInt(-1);
        out.writeInt(7);
        out.writeInt(3);
        out.writeInt(1);
        out.writeInt(2);
        out.writeInt(3);
        out.writeLong(Long.MAX_VALUE);
        out.writeInt(0);
        byte[] text = "Grüße ✓".getBytes(StandardCharsets.UTF_8);
        out.writeInt(text.length);                           // the count is in bytes, not characters
        out.write(text);

        assertArrayEquals(expected.toByteArray(), EVERYTHING.save(in));
    }

    @Test
    void saveToAStreamWritesTheSameBytesAsSaveToAnArray() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EVERYTHING.save(extremes(), new DataOutputStream(bytes));

        assertArrayEquals(EVERYTHING.save(extremes()), bytes.toByteArray());
    }

    @Test
    void anUnsignedThirtyTwoBitFieldLoadsIntoALongWithoutSignExtension() throws VMStateException {
        byte[] data = EVERYTHING.save(extremes());
        int offset = 1 + 1 + 2 + 4; // flag, u8, u16, u32
        ByteBuffer.wrap(data).putInt(offset, 0x8000_0000);

        assertEquals(0x8000_0000L, EVERYTHING.load(data, 1).u32AsLong());
    }

    @Test
    void valuesThatDoNotFitTheirWireTypeAreRefusedOnSaveNamingTheField() {
        Everything base = extremes();
        Everything u8TooBig = new Everything(true, 0x100, 0, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "");
        Everything u8Negative = new Everything(true, -1, 0, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "");
        Everything u16TooBig = new Everything(true, 0, 0x1_0000, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "");
        Everything u32TooBig = new Everything(true, 0, 0, 0, 0x1_0000_0000L, 0, 0, 0, base.fixedBytes(),
                base.moreBytes(), base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "");

        assertSaveRefused(u8TooBig, "dev.u8");
        assertSaveRefused(u8Negative, "dev.u8");
        assertSaveRefused(u16TooBig, "dev.u16");
        assertSaveRefused(u32TooBig, "dev.u32AsLong");
    }

    @Test
    void sequencesOfTheWrongLengthAreRefusedOnSaveNamingTheField() {
        Everything base = extremes();
        Everything fixedTooShort = new Everything(true, 0, 0, 0, 0, 0, 0, 0, new byte[2], base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "");
        Everything variableTooLong = new Everything(true, 0, 0, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), new int[5], base.fixedLongs(), base.moreLongs(), "");
        Everything textTooLong = new Everything(true, 0, 0, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), "ääääääääü"); // 18 bytes

        assertSaveRefused(fixedTooShort, "dev.fixedBytes");
        assertSaveRefused(variableTooLong, "dev.moreWords");
        assertSaveRefused(textTooLong, "dev.text");
    }

    @Test
    void aMissingValueIsRefusedOnSaveNamingTheField() {
        Everything base = extremes();
        Everything noText = new Everything(true, 0, 0, 0, 0, 0, 0, 0, base.fixedBytes(), base.moreBytes(),
                base.fixedWords(), base.moreWords(), base.fixedLongs(), base.moreLongs(), null);

        assertSaveRefused(noText, "dev.text");
    }

    private static void assertSaveRefused(Everything state, String field) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EVERYTHING.save(state));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
