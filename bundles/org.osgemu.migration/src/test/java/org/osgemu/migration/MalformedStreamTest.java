package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.StreamLayout.Piece;
import org.osgemu.migration.service.PrecopyMigrationService;
import org.osgemu.migration.stream.StreamFormat;

/**
 * Streams that are not whole or not ours are refused with a message naming the section (and the
 * field, or how far the stream got), and the destination machine never runs: it stays paused
 * when nothing was loaded yet, or in inmigrate once guest RAM began to change.
 */
class MalformedStreamTest {

    private static final String RAM = "section 'ram' (block riscv.virt.ram)";
    /** Kind codes of the records. */
    private static final int CONFIGURATION = 7, START = 1, PART = 2, END = 3, FULL = 4, EOF = 0;

    private static byte[] good;
    private static StreamLayout layout;

    private final PrecopyMigrationService migration = new PrecopyMigrationService();

    @TempDir
    Path dir;

    /** The refusal and the state the destination was left in. */
    private record Refusal(String message, RunState state) {}

    /** A 2 MiB machine whose every page holds data, so its RAM takes PART sections before the END. */
    @BeforeAll
    static void saveAGoodStream() throws Exception {
        try (TestMachine source = TestMachine.named("src").ram(2 << 20).build()) {
            for (long page = 0; page < source.ram.size(); page += RamBlock.PAGE_SIZE) {
                source.ram.segment().set(ValueLayout.JAVA_LONG, page, page | 1);
            }
            source.runtime.memory().write(TestMachine.UART_BASE + 7, 0x5A, 1);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            new PrecopyMigrationService().save(source.control(), Channels.newChannel(bytes));
            good = bytes.toByteArray();
        }
        layout = new StreamLayout(good);
        assertTrue(layout.pieces.stream().filter(p -> p.kind() == PART && p.label().equals("riscv.virt.ram")).count() >= 1,
                "the fixture should split RAM over several sections: " + layout.pieces);
    }

    @Test
    void theGoodStreamLoads() throws Exception {
        try (TestMachine destination = TestMachine.named("dst").ram(2 << 20).build()) {
            migration.load(destination.control(), write(good));
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }

    @Test
    void aStreamThatIsNotOursIsRefusedByItsMagic() throws Exception {
        Refusal r = refuse(StreamLayout.flip(good, 0));
        assertEquals("not an osgemu migration stream: it begins with 0x4e53474d, not 0x4f53474d (\"OSGM\")", r.message());
        assertEquals(RunState.PAUSED, r.state());
    }

    @Test
    void aNewerFormatVersionIsRefused() throws Exception {
        byte[] stream = good.clone();
        ByteBuffer.wrap(stream).putInt(4, 3);
        assertEquals("stream format version 3, this build reads versions 1 to 2", refuse(stream).message());
    }

    @Test
    void aVersion1StreamWithoutTheDeviceListStillLoads() throws Exception {
        Piece config = layout.find(CONFIGURATION, null, null);
        ByteBuffer payload = ByteBuffer.wrap(good, config.payloadStart(), config.payloadLength()).slice();
        byte[] v1Payload = new byte[deviceListAt(payload)];
        payload.get(0, v1Payload);
        ByteBuffer v1 = ByteBuffer.allocate(good.length - config.payloadLength() + v1Payload.length);
        v1.putInt(StreamFormat.MAGIC).putInt(1);
        v1.put((byte) CONFIGURATION).putInt(v1Payload.length).put(v1Payload);
        CRC32C crc = new CRC32C();
        crc.update(v1.array(), config.start(), v1.position() - config.start());
        v1.putInt((int) crc.getValue());
        v1.put(good, config.end(), good.length - config.end());

        try (TestMachine destination = TestMachine.named("dst").ram(2 << 20).build()) {
            migration.load(destination.control(), write(v1.array()));
            assertEquals(0x5A, destination.uarts.getFirst().saveState().scr());
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }

    @Test
    void unknownDeviceFlagsAreRefusedNamingTheFieldAndTheDevice() throws Exception {
        Piece config = layout.find(CONFIGURATION, null, null);
        ByteBuffer payload = ByteBuffer.wrap(good, config.payloadStart(), config.payloadLength()).slice();
        int firstDevice = deviceListAt(payload) + 4;
        int flagsAt = firstDevice + 1 + (payload.get(firstDevice) & 0xFF); // after the type
        flagsAt += 1 + (payload.get(flagsAt) & 0xFF); // after the id
        Refusal r = refuse(StreamLayout.patch(good, config, flagsAt, (byte) 0x83));
        assertEquals("configuration: field device-flags of device 'clint0': unknown bits in 0x83", r.message());
        assertEquals(RunState.PAUSED, r.state());
    }

    /** Where the device list (its count) begins in a configuration payload: after the machine type, harts, page size and blocks. */
    private static int deviceListAt(ByteBuffer payload) {
        int at = 1 + (payload.get(0) & 0xFF) + 8;
        int blocks = payload.getInt(at);
        at += 4;
        for (int i = 0; i < blocks; i++) {
            at += 1 + (payload.get(at) & 0xFF) + 8;
        }
        return at;
    }

    static Stream<Arguments> truncations() {
        Piece config = layout.find(CONFIGURATION, null, null);
        Piece firstRamPart = layout.find(PART, "ram", "riscv.virt.ram");
        Piece ramEnd = layout.find(END, "ram", "riscv.virt.ram");
        Piece clint = layout.find(FULL, "clint", "clint0");
        Piece uart = layout.find(FULL, "ns16550a", "uart0");
        return Stream.of(
                Arguments.of("in the header", 3, "stream truncated in its header after 3 bytes: not an osgemu migration stream",
                        RunState.PAUSED),
                Arguments.of("in the configuration", config.start() + 8,
                        "stream truncated in the configuration section after 8 bytes of its " + config.payloadLength()
                                + "-byte payload and checksum", RunState.PAUSED),
                Arguments.of("in the first RAM part", firstRamPart.payloadStart() + 1000,
                        "stream truncated in " + RAM + " after 1000 of its " + firstRamPart.payloadLength() + " payload bytes",
                        RunState.PAUSED),
                Arguments.of("in the RAM end", ramEnd.payloadStart() + 12,
                        "stream truncated in " + RAM + " after 12 of its " + ramEnd.payloadLength() + " payload bytes",
                        RunState.INMIGRATE),
                Arguments.of("in a device", clint.payloadStart() + 5,
                        "stream truncated in section 'clint' (clint0) after 5 of its " + clint.payloadLength() + " payload bytes",
                        RunState.INMIGRATE),
                Arguments.of("in a checksum", clint.checksumAt() + 2,
                        "stream truncated in section 'clint' (clint0): its checksum is missing", RunState.INMIGRATE),
                Arguments.of("in a section header", uart.start() + 6,
                        "stream truncated in the header of a FULL section at stream offset " + uart.start()
                                + " (after section 'clint' (clint0))", RunState.INMIGRATE),
                Arguments.of("before the EOF marker", good.length - 1,
                        "stream truncated after section 'ns16550a' (uart0): no EOF marker", RunState.INMIGRATE));
    }

    @ParameterizedTest(name = "cut {0}")
    @MethodSource("truncations")
    void aTruncatedStreamIsRefusedSayingWhereItEnds(String where, int length, String message, RunState left) throws Exception {
        Refusal r = refuse(StreamLayout.cut(good, length));
        assertEquals(message, r.message());
        assertEquals(left, r.state());
    }

    static Stream<Arguments> flippedBytes() {
        Piece config = layout.find(CONFIGURATION, null, null);
        Piece ramStart = layout.find(START, "ram", "riscv.virt.ram");
        Piece ramPart = layout.find(PART, "ram", "riscv.virt.ram");
        Piece ramEnd = layout.find(END, "ram", "riscv.virt.ram");
        Piece clock = layout.find(FULL, "clock", "virtual");
        Piece hart = layout.find(FULL, "fake-hart", "cpu0");
        Piece clint = layout.find(FULL, "clint", "clint0");
        Piece uart = layout.find(FULL, "ns16550a", "uart0");
        return Stream.of(
                Arguments.of("configuration payload", config.payloadStart() + 2, "configuration", RunState.PAUSED),
                Arguments.of("RAM START payload", ramStart.payloadStart() + 3, RAM, RunState.PAUSED),
                Arguments.of("RAM PART payload", ramPart.payloadStart() + 5000, RAM, RunState.PAUSED),
                Arguments.of("RAM END payload", ramEnd.payloadStart() + 9, RAM, RunState.INMIGRATE),
                Arguments.of("clock FULL payload", clock.payloadStart() + 7, "section 'clock' (virtual)", RunState.INMIGRATE),
                Arguments.of("hart FULL payload", hart.payloadStart(), "section 'fake-hart' (cpu0)", RunState.INMIGRATE),
                Arguments.of("device FULL payload", clint.payloadStart() + 4, "section 'clint' (clint0)", RunState.INMIGRATE),
                Arguments.of("device checksum", uart.checksumAt() + 3, "section 'ns16550a' (uart0)", RunState.INMIGRATE),
                Arguments.of("device version field", StreamLayout.versionAt(uart) + 3, "section 'ns16550a' (uart0)",
                        RunState.INMIGRATE),
                Arguments.of("device id string", clint.start() + 7, "section 'cmint' (clint0)", RunState.INMIGRATE));
    }

    @ParameterizedTest(name = "flip in the {0}")
    @MethodSource("flippedBytes")
    void aFlippedByteInAnySectionIsACheckumMismatchNamingIt(String where, int at, String section, RunState left) throws Exception {
        Refusal r = refuse(StreamLayout.flip(good, at));
        assertTrue(r.message().startsWith(section + ": checksum mismatch (the stream says 0x"), r.message());
        assertEquals(left, r.state());
    }

    @Test
    void aFlippedEofMarkerReadsAsASectionThatEndsTooSoon() throws Exception {
        Refusal r = refuse(StreamLayout.flip(good, good.length - 1));
        assertEquals("stream truncated in the header of a START section at stream offset " + (good.length - 1)
                + " (after section 'ns16550a' (uart0))", r.message());
    }

    @Test
    void anUnknownRecordKindIsRefusedWithItsOffset() throws Exception {
        byte[] stream = good.clone();
        stream[stream.length - 1] = 0x09;
        assertEquals("unknown record kind 0x09 at stream offset " + (good.length - 1) + " (after section 'ns16550a' (uart0))",
                refuse(stream).message());
    }

    @Test
    void aBadDeviceFieldBehindAGoodChecksumIsRefusedNamingTheField() throws Exception {
        Piece uart = layout.find(FULL, "ns16550a", "uart0");
        // divisor (2 bytes), ier, lcr, mcr, scr, fcr, lsrErrors (1 each), then the boolean thrInterruptPending
        Refusal r = refuse(StreamLayout.patch(good, uart, 8, (byte) 2));
        assertEquals("section 'ns16550a' (uart0): ns16550a.thrInterruptPending: boolean byte is 2, not 0 or 1", r.message());
        assertEquals(RunState.INMIGRATE, r.state());
    }

    @Test
    void aDeviceVersionFromANewerBuildIsRefused() throws Exception {
        Piece uart = layout.find(FULL, "ns16550a", "uart0");
        Refusal r = refuse(StreamLayout.patchAt(good, uart, StreamLayout.versionAt(uart), new byte[] {0, 0, 0, 3}));
        assertEquals("section 'ns16550a' (uart0) version 3: this build loads 1..1", r.message());
    }

    @Test
    void aPageBeyondItsBlockIsRefused() throws Exception {
        Piece part = layout.find(PART, "ram", "riscv.virt.ram");
        byte[] record = ByteBuffer.allocate(8).putLong(0x7FFF_0000L | 0x08).array();
        Refusal r = refuse(StreamLayout.patch(good, part, 0, record));
        assertEquals(RAM + ": page offset 0x7fff0000 beyond the block size 0x200000 (page record at payload byte 0)", r.message());
        assertEquals(RunState.INMIGRATE, r.state(), "a RAM section was being applied: the machine counts as changed");
    }

    @Test
    void aPageRecordWithUnknownFlagsIsRefused() throws Exception {
        Piece part = layout.find(PART, "ram", "riscv.virt.ram");
        byte[] record = ByteBuffer.allocate(8).putLong(0x3000L | 0x40).array();
        assertEquals(RAM + ": page record at payload byte 0: flags 0x40, expected 0x2 (zero page) or 0x8 (page)",
                refuse(StreamLayout.patch(good, part, 0, record)).message());
    }

    @Test
    void aLostRamSectionLeavesPagesMissingAtItsEnd() throws Exception {
        Piece part = layout.find(PART, "ram", "riscv.virt.ram");
        int pagesInPart = part.payloadLength() / (8 + RamBlock.PAGE_SIZE);
        Refusal r = refuse(StreamLayout.without(good, part));
        assertEquals(RAM + ": the END section came after " + (512 - pagesInPart) + " of the block's 512 pages; the first missing page is at offset 0x0",
                r.message());
        assertEquals(RunState.INMIGRATE, r.state());
    }

    @Test
    void sectionsOutOfOrderAreRefused() throws Exception {
        Piece clint = layout.find(FULL, "clint", "clint0");
        Refusal r = refuse(StreamLayout.patchAt(good, clint, clint.start() + 1, new byte[] {0, 0, 0, 9}));
        assertTrue(r.message().startsWith("section 'clint' (clint0): section id 9, expected "), r.message());
    }

    @Test
    void bytesAfterTheEofMarkerAreRefusedInAFile() throws Exception {
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertEquals("1 byte(s) follow the EOF marker at offset " + (good.length - 1)
                + " (a longer stream overwritten, or two streams run together?)", refuse(longer).message());
    }

    @Test
    void aMissingFileIsNamedAndTheMachineIsLeftAsItWas() throws Exception {
        try (TestMachine destination = TestMachine.named("dst").ram(2 << 20).build()) {
            Path missing = dir.resolve("nope.snapshot");
            MigrationException e = assertThrows(MigrationException.class, () -> migration.load(destination.control(), missing));
            assertEquals("cannot read " + missing + ": no such file or directory (" + missing + ")", e.getMessage());
            assertEquals(RunState.PAUSED, destination.runtime.state());
        }
    }

    private Path write(byte[] stream) throws Exception {
        Path file = Files.createTempFile(dir, "stream", ".snapshot");
        Files.write(file, stream);
        return file;
    }

    /** Loads {@code stream} into a fresh machine shaped like the source; it must be refused, and the machine must not run. */
    private Refusal refuse(byte[] stream) throws Exception {
        Path file = write(stream);
        try (TestMachine destination = TestMachine.named("dst").ram(2 << 20).build()) {
            MigrationException e = assertThrows(MigrationException.class, () -> migration.load(destination.control(), file));
            RunState state = destination.runtime.state();
            assertTrue(List.of(RunState.PAUSED, RunState.INMIGRATE).contains(state), "left in " + state);
            Thread.sleep(5);
            assertEquals(0, destination.harts.getFirst().retired.get(), "the destination ran");
            return new Refusal(e.getMessage(), state);
        }
    }
}
