package org.osgemu.api.vmstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.osgemu.api.vmstate.States.Pair;
import org.osgemu.api.vmstate.States.WrongType;

/** A description must match its record; mistakes are found when it is built, not when a guest migrates. */
class VMStateBindingTest {

    @Test
    void fieldsMustCoverEveryComponent() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("dev", Pair.class).u8("first").build());

        assertTrue(e.getMessage().contains("2 components") && e.getMessage().contains("1 field"), e.getMessage());
    }

    @Test
    void fieldsMustBeDeclaredInComponentOrderAndNamedAlike() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("dev", Pair.class).u8("second").u8("first").build());

        assertTrue(e.getMessage().contains("'second'") && e.getMessage().contains("'first'"), e.getMessage());
    }

    @Test
    void aWireTypeMustSuitTheComponentsJavaType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("dev", WrongType.class).u8("value").build());

        assertTrue(e.getMessage().contains("value") && e.getMessage().contains("U8")
                && e.getMessage().contains("long"), e.getMessage());
    }

    @Test
    void aRecordOutsideThePublicApiCannotBeBound() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VMStateDescription.builder("dev", States.Hidden.class).i32("value").build());

        assertTrue(e.getMessage().contains(States.Hidden.class.getName()), e.getMessage());
    }

    @Test
    void aFieldNeedsANameAndAVersionFromOne() {
        assertThrows(IllegalArgumentException.class, () -> new VMStateField("", FieldType.U8, 0, 0, 1));
        IllegalArgumentException version = assertThrows(IllegalArgumentException.class,
                () -> new VMStateField("ier", FieldType.U8, 0, 0, 0));

        assertTrue(version.getMessage().contains("ier"), version.getMessage());
    }

    @Test
    void onlySequencesHaveALength() {
        IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
                () -> new VMStateField("ier", FieldType.U32, 4, 4, 1));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new VMStateField("fifo", FieldType.BYTES, -2, 0, 1));

        assertTrue(scalar.getMessage().contains("ier"), scalar.getMessage());
        assertTrue(negative.getMessage().contains("fifo") && negative.getMessage().contains("-2"),
                negative.getMessage());
        assertEquals(-1, new VMStateField("fifo", FieldType.BYTES, -1, 16, 1).length());
    }

    @Test
    void sequenceTypesAndUnitSizes() {
        EnumSet<FieldType> sequences = EnumSet.noneOf(FieldType.class);
        for (FieldType t : FieldType.values()) {
            if (t.isSequence()) sequences.add(t);
        }

        assertEquals(EnumSet.of(FieldType.BYTES, FieldType.U32_ARRAY, FieldType.U64_ARRAY, FieldType.STRING), sequences);
        assertEquals(2, FieldType.U16.unitSize());
        assertEquals(4, FieldType.U32_ARRAY.unitSize());
        assertEquals(8, FieldType.I64.unitSize());
        assertFalse(FieldType.BOOL.isSequence());
    }
}
