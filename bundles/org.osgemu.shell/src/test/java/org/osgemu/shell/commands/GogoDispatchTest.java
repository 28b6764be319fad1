package org.osgemu.shell.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands as the real Gogo runtime calls them: function names, varargs and options. */
class GogoDispatchTest {

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final CommandProcessorImpl processor;
    private final FakeMachine machine = new FakeMachine("vm0");
    private final CommandSession session;

    GogoDispatchTest() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        MonitorCommands commands = new MonitorCommands("0.1.0 (osgemu test)");
        commands.addMachine(machine);
        for (String function : CommandHelp.FUNCTIONS) {
            processor.addCommand("osgemu", commands, function);
        }
        session = processor.createSession(InputStream.nullInputStream(), new ByteArrayOutputStream(),
                new ByteArrayOutputStream());
    }

    @AfterEach
    void stopGogo() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    @Test
    void infoTopicsAndOptionsArriveAsGogoSplitsThem() throws Exception {
        assertEquals("VM status: running", session.execute("info status"));
        assertEquals("FlatView #0", session.execute("info mtree -f"));
        assertEquals("address-space: memory", session.execute("osgemu:info mtree"));
    }

    @Test
    void commandsWithoutArgumentsAndNumericOptionsAreAccepted() throws Exception {
        machine.cpus.add(new FakeCpu(0, 0x80000000L, Map.of()));
        machine.cpus.add(new FakeCpu(1, 0x80000004L, Map.of()));

        assertTrue(session.execute("info").toString().contains("info qtree"));
        assertTrue(session.execute("help").toString().contains("system_reset"));
        assertEquals(" pc       0000000080000004", session.execute("info registers 1"));
        assertTrue(session.execute("info registers -a").toString().contains("CPU#1"));
    }

    @Test
    void unknownTopicReachesGogoAsTheCommandsError() {
        Exception e = assertThrows(Exception.class, () -> session.execute("info foo"));

        assertEquals("info: unknown topic 'foo'; try: mtree, qtree, registers, status, cpus, version, chardev, migrate", e.getMessage());
    }

    @Test
    void qemuCommandNamesAndAliasesAreCallable() throws Exception {
        session.execute("stop");
        session.execute("c");
        session.execute("system_reset");
        session.execute("q");

        assertEquals(List.of("stop", "cont", "reset host-qmp-system-reset", "shutdown host-qmp-quit 0"), machine.calls);
    }
}
