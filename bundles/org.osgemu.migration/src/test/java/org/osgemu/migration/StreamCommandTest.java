package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgemu.api.machine.RunState;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.service.PrecopyMigrationService;
import org.osgemu.migration.stream.MachineLayout;
import org.osgemu.migration.stream.StreamCommand;
import org.osgemu.migration.stream.StreamWriter;

/** Commands inside the stream (record kind 0x08) where they cannot be obeyed, or are malformed. */
class StreamCommandTest {

    private final PrecopyMigrationService service = new PrecopyMigrationService();
    private final TestMachine machine = TestMachine.named("vm").build();

    @AfterEach
    void close() {
        service.deactivate();
        machine.close();
    }

    @Test
    void aStreamThatAsksForAReturnPathCannotBeLoadedFromAFileOrChannel() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamWriter writer = new StreamWriter(Channels.newChannel(bytes));
        writer.writeHeader();
        writer.writeConfiguration(MachineLayout.of(machine.control()).encode());
        writer.writeCommand(StreamCommand.OPEN_RETURN_PATH, new byte[0]);
        writer.writeEof();
        writer.flush();

        MigrationException e = assertThrows(MigrationException.class,
                () -> service.load(machine.control(), Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray()))));

        assertEquals("command OPEN_RETURN_PATH: this transport has no return path (the source has capability return-path on; "
                + "a file cannot carry it)", e.getMessage());
        assertEquals(RunState.PAUSED, machine.runtime.state(), "refused before anything changed");
    }

    @Test
    void aCommandWithAWrongLengthOrAnUnknownNumberIsRefusedNamingIt() throws Exception {
        byte[] stream = streamWithCommand(2, 3); // PING with 3 payload bytes
        assertEquals("command PING at stream offset " + (stream.length - 13) + ": field length is 3, the command always has 4",
                refusal(stream));
        byte[] unknown = streamWithCommand(0x77, 0);
        assertEquals("a command at stream offset " + (unknown.length - 10) + " (after the configuration section): unknown command "
                + "0x0077 (this build knows [OPEN_RETURN_PATH, PING, POSTCOPY_ADVISE, POSTCOPY_LISTEN, POSTCOPY_RUN, "
                + "POSTCOPY_RAM_DISCARD, POSTCOPY_RESUME, PACKAGED])", refusal(unknown));
    }

    private String refusal(byte[] stream) {
        return assertThrows(MigrationException.class,
                () -> service.load(machine.control(), Channels.newChannel(new ByteArrayInputStream(stream)))).getMessage();
    }

    /** Header, configuration, then a command record {@code code} claiming {@code length} bytes (which follow), then EOF. */
    private byte[] streamWithCommand(int code, int length) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamWriter writer = new StreamWriter(Channels.newChannel(bytes));
        writer.writeHeader();
        writer.writeConfiguration(MachineLayout.of(machine.control()).encode());
        writer.flush();
        bytes.write(0x08);
        bytes.write(code >> 8);
        bytes.write(code);
        bytes.write(length >> 8);
        bytes.write(length);
        bytes.write(new byte[length]);
        bytes.write(new byte[] {0, 0, 0, 0}); // checksum (not reached)
        bytes.write(0);
        return bytes.toByteArray();
    }
}
