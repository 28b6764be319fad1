package org.osgemu.api.vmstate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.States.Extended;
import org.osgemu.api.vmstate.States.Grown;

/** Which stream versions a description loads, and what fields added later read as. */
class VMStateVersionTest {

    private static final VMStateDescription<Grown> GROWN = VMStateDescription.builder("timer", Grown.class)
            .version(2).u8("old").since(2).u8("added").build();

    private static final VMStateDescription<Extended> EXTENDED = VMStateDescription.builder("nic", Extended.class)
            .version(3).minimumVersion(2).u16("base")
            .since(3).bool("flag").u64("counter").bytes("fixed", 4).u32ArrayVariable("variable", 8).string("text", 8)
            .build();

    @Test
    void savingAlwaysWritesTheCurrentVersion() {
        assertArrayEquals(new byte[] {5, 6}, GROWN.save(new Grown(5, 6)));
    }

    @Test
    void anOlderStreamLacksTheNewFieldWhichLoadsAsZero() throws VMStateException {
        assertEquals(new Grown(5, 0), GROWN.load(new byte[] {5}, 1));
        assertEquals(new Grown(5, 6), GROWN.load(new byte[] {5, 6}, 2));
    }

    @Test
    void anOlderStreamCarryingTheNewFieldHasBytesLeftOver() {
        VMStateException e = assertThrows(VMStateException.class, () -> GROWN.load(new byte[] {5, 6}, 1));

        assertTrue(e.getMessage().contains("left over"), e.getMessage());
    }

    @Test
    void fieldsAddedLaterLoadAsTheirTypesZero() throws VMStateException {
        Extended s = EXTENDED.load(new byte[] {0x12, 0x34}, 2);

        assertEquals(0x1234, s.base());
        assertEquals(false, s.flag());
        assertEquals(0L, s.counter());
        assertArrayEquals(new byte[4], s.fixed()); // a fixed-length field keeps its length
        assertArrayEquals(new int[0], s.variable());
        assertEquals("", s.text());
    }

    @Test
    void aStreamNewerThanThisBuildIsRefusedNamingTheVersions() {
        VMStateException e = assertThrows(VMStateException.class, () -> GROWN.load(new byte[] {5, 6, 7}, 3));

        assertTrue(e.getMessage().startsWith("timer:") && e.getMessage().contains("3")
                && e.getMessage().contains("1..2"), e.getMessage());
    }

    @Test
    void aStreamOlderThanTheMinimumIsRefused() {
        VMStateException e = assertThrows(VMStateException.class, () -> EXTENDED.load(new byte[] {0, 1}, 1));

        assertTrue(e.getMessage().startsWith("nic:") && e.getMessage().contains("2..3"), e.getMessage());
    }

    @Test
    void theDescriptionReportsItsVersionsAndFields() {
        assertEquals("nic", EXTENDED.name());
        assertEquals(Extended.class, EXTENDED.type());
        assertEquals(3, EXTENDED.version());
        assertEquals(2, EXTENDED.minimumVersion());
        assertEquals(new VMStateField("base", FieldType.U16, 0, 0, 1), EXTENDED.fields().get(0));
        assertEquals(new VMStateField("variable", FieldType.U32_ARRAY, -1, 8, 3), EXTENDED.fields().get(4));
    }

    @Test
    void aMinimumAboveTheVersionOrBelowOneIsRefused() {
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("timer", Grown.class).version(2).minimumVersion(3)
                        .u8("old").u8("added").build());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("timer", Grown.class).minimumVersion(0)
                        .u8("old").u8("added").build());

        assertTrue(above.getMessage().contains("timer") && above.getMessage().contains("3"), above.getMessage());
        assertTrue(zero.getMessage().contains("timer"), zero.getMessage());
    }

    @Test
    void aFieldAddedAfterTheDescriptionsVersionIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("timer", Grown.class).version(2)
                        .u8("old").since(3).u8("added").build());

        assertTrue(e.getMessage().contains("added") && e.getMessage().contains("3"), e.getMessage());
    }
}
