package org.osgemu.api.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a guest sees when it reads and writes a {@link RegisterMap} through MMIO. */
class RegisterMapAccessTest {

    private final RecordingLog log = new RecordingLog();
    private final List<String> hookCalls = new ArrayList<>();
    private RegisterMap map;

    @BeforeEach
    void build() {
        map = RegisterMap.builder("dev")
                .register("ID", 0x00, 4).reset(0x1234_5678L).add()                        // read-only
                .register("CTRL", 0x04, 4).reset(0x0000_00F0L).writeMask(0x0000_FF0FL).add()
                .register("STATUS", 0x08, 4).reset(0b1111).w1c(0b0101).add()
                .register("SCRATCH", 0x0C, 4).readWrite().add()
                .register("WIDE", 0x10, 8).readWrite().add()
                .register("PRIO", 0x100, 4).array(3, 0x10).readWrite()
                        .onWrite((i, v) -> hookCalls.add("PRIO[" + i + "]=" + Long.toHexString(v))).add()
                .register("COUNT", 0x200, 4).onRead(i -> 0xAABB_CCDDL).add()
                .build();
        map.setLog(log);
    }

    @Test
    void readsReturnResetValues() {
        assertEquals(0x1234_5678L, map.read(0x00, 4));
        assertEquals(0xF0L, map.read(0x04, 4));
        assertEquals(0b1111L, map.read(0x08, 4));
        assertEquals(0L, map.read(0x0C, 4));
        assertEquals(List.of(), log.messages);
    }

    @Test
    void aWriteChangesOnlyTheWritableBits() {
        map.write(0x04, 0xFFFF_FFFFL, 4);

        assertEquals(0xFFFFL, map.read(0x04, 4)); // 0xF0 kept, 0xFF0F written
        map.write(0x04, 0, 4);
        assertEquals(0xF0L, map.read(0x04, 4)); // bits 4..7 are not writable and keep their reset value
    }

    @Test
    void writingOneClearsW1cBitsAndZeroLeavesThem() {
        map.write(0x08, 0b0001, 4);
        assertEquals(0b1110L, map.get("STATUS"));

        map.write(0x08, 0b0000, 4);
        assertEquals(0b1110L, map.get("STATUS"));

        map.write(0x08, 0b1111, 4); // bits 1 and 3 are not w1c and not writable: they stay
        assertEquals(0b1010L, map.get("STATUS"));
        assertEquals(List.of(), log.messages);
    }

    @Test
    void aWriteToAReadOnlyRegisterIsLoggedAndIgnored() {
        map.write(0x00, 0xDEAD, 4);

        assertEquals(0x1234_5678L, map.read(0x00, 4));
        String message = log.single();
        assertTrue(message.contains("dev") && message.contains("ID") && message.contains("0xdead"), message);
    }

    @Test
    void unmappedOffsetsReadZeroAndDropWritesWithALogEntry() {
        assertEquals(0L, map.read(0x50, 4));
        map.write(0x50, 1, 4);
        map.write(0x104, 1, 4); // inside the PRIO array's stride, between elements

        assertEquals(3, log.messages.size());
        assertTrue(log.messages.get(0).contains("0x50"), log.messages.get(0));
        assertTrue(log.messages.get(2).contains("0x104"), log.messages.get(2));
        assertEquals(List.of(), hookCalls);
    }

    @Test
    void arrayElementsAreReachedAtTheirStride() {
        map.write(0x120, 7, 4);

        assertEquals(7L, map.read(0x120, 4));
        assertEquals(0L, map.read(0x110, 4));
        assertEquals(7L, map.get("PRIO", 2));
        assertEquals(List.of("PRIO[2]=7"), hookCalls);
    }

    @Test
    void narrowReadsReturnTheAddressedBytes() {
        assertEquals(0x78L, map.read(0x00, 1));
        assertEquals(0x56L, map.read(0x01, 1));
        assertEquals(0x1234L, map.read(0x02, 2));
        assertEquals(0xAABBL, map.read(0x202, 2)); // from a read hook too
    }

    @Test
    void narrowWritesMergeIntoTheOtherBytes() {
        map.write(0x0C, 0x1122_3344L, 4);

        map.write(0x0D, 0xFFFF_FFAAL, 1); // only the low byte of the value counts
        assertEquals(0x1122_AA44L, map.read(0x0C, 4));

        map.write(0x0E, 0xBEEF, 2);
        assertEquals(0xBEEF_AA44L, map.read(0x0C, 4));
    }

    @Test
    void eightByteRegistersHoldAllSixtyFourBits() {
        map.write(0x10, 0x8000_0000_0000_0001L, 8);
        map.write(0x14, 0x7FFF_FFFFL, 4);

        assertEquals(0x7FFF_FFFF_0000_0001L, map.read(0x10, 8));
        assertEquals(0x7FFF_FFFFL, map.read(0x14, 4));
    }

    @Test
    void anAccessWiderThanTheRegisterIsLoggedReadsZeroAndWritesNothing() {
        map.write(0x0C, 0x1111_1111L, 4);

        assertEquals(0L, map.read(0x0C, 8));
        map.write(0x0C, -1L, 8);

        assertEquals(0x1111_1111L, map.read(0x0C, 4));
        assertEquals(0L, map.read(0x10, 8)); // WIDE, right after SCRATCH, was not touched either
        assertEquals(2, log.messages.size());
        assertTrue(log.messages.get(0).contains("SCRATCH"), log.messages.get(0));
    }

    @Test
    void anAccessCrossingIntoTheNextRegisterIsLoggedAndDropped() {
        map.write(0x0E, 0xFFFF_FFFFL, 4); // upper half of SCRATCH and lower half of WIDE

        assertEquals(0L, map.read(0x0C, 4));
        assertEquals(0L, map.read(0x10, 8));
        assertEquals(0L, map.read(0x0A, 4)); // upper half of STATUS, lower half of SCRATCH
        assertEquals(2, log.messages.size());
        assertTrue(log.messages.get(0).contains("crosses"), log.messages.get(0));
    }

    @Test
    void aReadHookSuppliesTheValueWithItsArrayIndex() {
        RegisterMap counters = RegisterMap.builder("clint")
                .register("MTIMECMP", 0x0, 8).array(4, 8).onRead(i -> 1000L + i).add()
                .build();

        assertEquals(1003L, counters.read(0x18, 8));
        assertEquals(0L, counters.get("MTIMECMP", 3)); // the hook is not the stored value
    }

    @Test
    void writeHookSeesTheStoredValueAfterMasksAndW1c() {
        List<Long> seen = new ArrayList<>();
        RegisterMap m = RegisterMap.builder("dev")
                .register("IP", 0x0, 4).reset(0xFF).writeMask(0xF00).w1c(0x0F).onWrite((i, v) -> seen.add(v)).add()
                .build();

        m.write(0x0, 0x0F03, 4);

        assertEquals(List.of(0xFFCL), seen); // bits 0,1 cleared, 0xF00 written, 0xF0 kept
        assertEquals(0xFFCL, m.get("IP"));
    }

    @Test
    void writeBitsHookSeesWhatTheGuestWroteAndRunsAfterTheWriteHook() {
        List<String> calls = new ArrayList<>();
        RegisterMap m = RegisterMap.builder("dev")
                .register("CMD", 0x0, 4)
                        .onWrite((i, v) -> calls.add("stored " + Long.toHexString(v)))
                        .onWriteBits((i, bits, mask) -> calls.add("bits " + Long.toHexString(bits)
                                + " mask " + Long.toHexString(mask)))
                        .add()
                .build();
        m.setLog(log);

        m.write(0x2, 0xAB, 1);

        // no write mask: the stored value stays 0, while the bits hook gets the byte in place
        assertEquals(List.of("stored 0", "bits ab0000 mask ff0000"), calls);
        assertEquals(List.of(), log.messages);
    }

    @Test
    void aWriteBitsHookAloneMakesTheRegisterAcceptWrites() {
        List<Long> commands = new ArrayList<>();
        RegisterMap m = RegisterMap.builder("test")
                .register("FINISHER", 0x0, 4).onWriteBits((i, bits, mask) -> commands.add(bits)).add()
                .build();
        m.setLog(log);

        m.write(0x0, 0x5555, 4);

        assertEquals(List.of(0x5555L), commands);
        assertEquals(List.of(), log.messages);
    }

    @Test
    void deviceSideSetBypassesMasksAndHooksButKeepsTheWidth() {
        map.set("ID", 0x1_0000_0001L);
        map.set("PRIO", 1, 9);

        assertEquals(1L, map.read(0x00, 4));
        assertEquals(9L, map.read(0x110, 4));
        assertEquals(List.of(), hookCalls);
    }

    @Test
    void resetRestoresEveryElement() {
        map.write(0x0C, 5, 4);
        map.set("PRIO", 2, 3);
        map.set("STATUS", 0);

        map.reset();

        assertEquals(0L, map.get("SCRATCH"));
        assertEquals(0L, map.get("PRIO", 2));
        assertEquals(0b1111L, map.get("STATUS"));
    }

    @Test
    void getAllAndSetAllCarryAWholeArray() {
        map.setAll("PRIO", new long[] {1, 2, 0x1_0000_0003L});

        long[] values = map.getAll("PRIO");
        values[0] = 99; // a copy: changing it changes nothing

        assertEquals(1L, map.get("PRIO", 0));
        assertEquals(3L, map.get("PRIO", 2)); // truncated to the register's 4 bytes
    }

    @Test
    void setAllWithTheWrongNumberOfValuesIsRefusedAndChangesNothing() {
        map.setAll("PRIO", new long[] {1, 2, 3});

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> map.setAll("PRIO", new long[] {7, 7}));

        assertTrue(e.getMessage().contains("dev.PRIO") && e.getMessage().contains("2") && e.getMessage().contains("3"),
                e.getMessage());
        assertEquals(1L, map.get("PRIO", 0));
    }

    @Test
    void anUnknownRegisterNameIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> map.get("NOPE"));

        assertTrue(e.getMessage().contains("dev") && e.getMessage().contains("NOPE"), e.getMessage());
    }

    @Test
    void withoutALogGuestMistakesAreStillNotThrown() {
        RegisterMap quiet = RegisterMap.builder("dev").register("ID", 0x0, 4).reset(1).add().build();

        quiet.write(0x0, 5, 4);
        quiet.write(0x40, 5, 4);

        assertEquals(1L, quiet.read(0x0, 4));
        assertEquals(0L, quiet.read(0x40, 4));
    }
}
