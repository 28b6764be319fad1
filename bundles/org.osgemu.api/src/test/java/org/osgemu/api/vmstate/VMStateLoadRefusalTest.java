package org.osgemu.api.vmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.osgemu.api.vmstate.VMStateRoundTripTest.EVERYTHING;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.States.Checked;

/** A stream that does not hold a valid state is refused with a message naming the field. */
class VMStateLoadRefusalTest {

    private final byte[] valid = EVERYTHING.save(VMStateRoundTripTest.extremes());

    /** Where each field of {@link VMStateRoundTripTest#extremes()} starts in the saved bytes, in order. */
    private static Map<String, Integer> fieldStarts() {
        Map<String, Integer> starts = new LinkedHashMap<>();
        int[] sizes = {1, 1, 2, 4, 4, 4, 8, 8, 3, 4 + 2, 8, 4 + 12, 8, 4 + 0, 4 + "Grüße ✓".getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length};
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            starts.put(EVERYTHING.fields().get(i).name(), at);
            at += sizes[i];
        }
        return starts;
    }

    @Test
    void everyTruncationIsRefusedNamingTheFieldItCutsInto() {
        Map<String, Integer> starts = fieldStarts();
        for (int length = 0; length < valid.length; length++) {
            String expected = null;
            for (Map.Entry<String, Integer> e : starts.entrySet()) {
                if (e.getValue() <= length) {
                    expected = e.getKey();
                }
            }
            byte[] cut = Arrays.copyOf(valid, length);

            VMStateException e = assertThrows(VMStateException.class, () -> EVERYTHING.load(cut, 1),
                    "loading the first " + length + " bytes");

            assertTrue(e.getMessage().startsWith("dev." + expected + ":"), length + " bytes: " + e.getMessage());
        }
    }

    @Test
    void bytesLeftAfterTheLastFieldAreRefused() {
        byte[] longer = Arrays.copyOf(valid, valid.length + 2);

        VMStateException e = assertThrows(VMStateException.class, () -> EVERYTHING.load(longer, 1));

        assertTrue(e.getMessage().contains("dev") && e.getMessage().contains("2 byte(s) left over"), e.getMessage());
    }

    @Test
    void aBooleanByteOtherThanZeroOrOneIsRefused() {
        byte[] bad = valid.clone();
        bad[0] = 2;

        VMStateException e = assertThrows(VMStateException.class, () -> EVERYTHING.load(bad, 1));

        assertTrue(e.getMessage().startsWith("dev.flag:") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void aCountAboveTheMaximumIsRefusedBeforeReadingTheElements() {
        int moreWords = fieldStarts().get("moreWords");
        byte[] bad = valid.clone();
        ByteBuffer.wrap(bad).putInt(moreWords, 5); // the maximum is 4

        VMStateException e = assertThrows(VMStateException.class, () -> EVERYTHING.load(bad, 1));

        assertTrue(e.getMessage().startsWith("dev.moreWords:") && e.getMessage().contains("5")
                && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void aCountWithTheHighBitSetIsTakenAsHugeNotNegative() {
        int text = fieldStarts().get("text");
        byte[] bad = valid.clone();
        ByteBuffer.wrap(bad).putInt(text, 0x8000_0000);

        VMStateException e = assertThrows(VMStateException.class, () -> EVERYTHING.load(bad, 1));

        assertTrue(e.getMessage().startsWith("dev.text:") && e.getMessage().contains("2147483648"), e.getMessage());
    }

    @Test
    void aValueTheStateRecordRejectsIsRefusedWithItsReason() {
        VMStateDescription<Checked> d = VMStateDescription.builder("fifo", Checked.class).u8("size").build();

        VMStateException e = assertThrows(VMStateException.class, () -> d.load(new byte[] {17}, 1));

        assertTrue(e.getMessage().startsWith("fifo:") && e.getMessage().contains("size 17 is above 16"),
                e.getMessage());
        assertEquals(IllegalArgumentException.class, e.getCause().getClass());
    }
}
