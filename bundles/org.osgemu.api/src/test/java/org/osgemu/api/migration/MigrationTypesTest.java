package org.osgemu.api.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;

import org.junit.jupiter.api.Test;

/** Section types, pending counts and sections as the migration engine and handlers share them. */
class MigrationTypesTest {

    @Test
    void sectionTypesCarryQemusWireCodes() {
        assertEquals(0x01, SectionType.START.code());
        assertEquals(0x02, SectionType.PART.code());
        assertEquals(0x03, SectionType.END.code());
        assertEquals(0x04, SectionType.FULL.code());
    }

    @Test
    void aCodeMapsBackToItsTypeAndAnUnknownCodeToNull() {
        for (SectionType t : SectionType.values()) {
            assertEquals(t, SectionType.ofCode(t.code()));
        }
        assertNull(SectionType.ofCode(0x00));
        assertNull(SectionType.ofCode(0x05));
    }

    @Test
    void onlyStartAndFullNameTheirHandler() {
        assertTrue(SectionType.START.namesHandler());
        assertTrue(SectionType.FULL.namesHandler());
        assertFalse(SectionType.PART.namesHandler());
        assertFalse(SectionType.END.namesHandler());
    }

    @Test
    void pendingBytesAddUpAndAreNeverNegative() {
        assertEquals(30, new PendingBytes(10, 20).total());
        assertEquals(0, PendingBytes.NONE.total());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PendingBytes(-1, 0));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PendingBytes(0, -5));
    }

    @Test
    void aSectionsPayloadCannotBeWrittenByTheHandler() {
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});
        Section s = new Section(SectionType.FULL, 1, data);

        assertTrue(s.payload().isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> s.payload().put(0, (byte) 9));
        assertEquals(1, s.payload().get());
    }
}
