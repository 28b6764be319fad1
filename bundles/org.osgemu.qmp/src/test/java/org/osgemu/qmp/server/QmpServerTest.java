package org.osgemu.qmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.api.machine.RunState;
import org.osgemu.qmp.testing.QmpClient;
import org.osgemu.qmp.testing.TestCommandSet;

import com.fasterxml.jackson.databind.JsonNode;

/** The real server on a unix socket over the real command set and a fake machine: what a QMP client sees. */
class QmpServerTest {

    @TempDir
    Path dir;
    Path socket;
    TestCommandSet set;
    QmpServer server;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("qmp.sock");
        set = new TestCommandSet();
        server = new QmpServer(QmpSettings.unix("qmp0", socket), set.commands);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void greetingIsQemusWithOurPackageAndEndsInCrLf() throws Exception {
        try (QmpClient client = QmpClient.connect(socket)) {
            client.next();
            assertEquals("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 8}, "
                    + "\"package\": \"osgemu 0.1.0\"}, \"capabilities\": [\"oob\"]}}\r\n", client.rawLines().getFirst());
        }
    }

    @Test
    void commandsWaitForCapabilitiesNegotiation() throws Exception {
        try (QmpClient client = QmpClient.connect(socket)) {
            client.next();
            JsonNode early = client.execute("{\"execute\": \"query-status\", \"id\": 7}");
            assertEquals("CommandNotFound", early.at("/error/class").asText());
            assertEquals("Expecting capabilities negotiation with 'qmp_capabilities'", early.at("/error/desc").asText());
            assertEquals(7, early.get("id").asInt());
            JsonNode bad = client.execute("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"nope\"]}}");
            assertEquals("Parameter 'enable[0]' does not accept value 'nope'", bad.at("/error/desc").asText());
            assertEquals("{\"return\": {}}\r\n", rawAnswer(client, "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}"));
            JsonNode again = client.execute("{\"execute\": \"qmp_capabilities\"}");
            assertEquals("CommandNotFound", again.at("/error/class").asText());
            assertEquals("Capabilities negotiation is already complete, command ignored", again.at("/error/desc").asText());
            JsonNode oob = client.execute("{\"exec-oob\": \"query-status\", \"id\": 1}");
            assertEquals("The command query-status does not support OOB", oob.at("/error/desc").asText());
        }
    }

    /** The raw line answering {@code request}. */
    private static String rawAnswer(QmpClient client, String request) throws Exception {
        int before = client.rawLines().size();
        client.execute(request);
        return client.rawLines().get(before);
    }

    @Test
    void stopAndContActBeforeAnsweringWithTheirEvents() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            JsonNode status = client.execute("{\"execute\": \"query-status\", \"id\": \"s1\"}");
            assertEquals("{\"status\":\"running\",\"singlestep\":false,\"running\":true}", status.get("return").toString());
            assertEquals("s1", status.get("id").asText());
            client.send("{\"execute\": \"stop\", \"id\": 2}");
            JsonNode stop = client.next();
            assertEquals("STOP", stop.get("event").asText());
            assertTrue(stop.at("/timestamp/seconds").asLong() > 1_600_000_000L);
            assertTrue(stop.at("/timestamp/microseconds").isIntegralNumber());
            assertFalse(stop.has("data"));
            assertEquals("{\"return\":{},\"id\":2}", client.next().toString());
            assertEquals("paused", client.execute("{\"execute\": \"query-status\"}").at("/return/status").asText());
            client.send("{\"execute\": \"cont\"}");
            assertEquals("RESUME", client.next().get("event").asText());
            assertTrue(client.next().has("return"));
            assertEquals(RunState.RUNNING, set.machine.state());
        }
    }

    @Test
    void quitAnswersFirstThenShutsDownWithItsReason() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            client.send("{\"execute\": \"quit\"}");
            assertEquals("{\"return\":{}}", client.next().toString());
            JsonNode shutdown = client.next();
            assertEquals("SHUTDOWN", shutdown.get("event").asText());
            assertEquals("{\"guest\":false,\"reason\":\"host-qmp-quit\"}", shutdown.get("data").toString());
            assertEquals(0, set.machine.exitCode());
        }
    }

    @Test
    void resetAndPowerdownAnswerFirstAndTheGuestRunsOn() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            client.send("{\"execute\": \"system_reset\"}");
            assertTrue(client.next().has("return"));
            JsonNode reset = client.next();
            assertEquals("RESET", reset.get("event").asText());
            assertEquals("host-qmp-system-reset", reset.at("/data/reason").asText());
            client.send("{\"execute\": \"system_powerdown\"}");
            assertTrue(client.next().has("return"));
            assertEquals("POWERDOWN", client.next().get("event").asText());
            assertEquals(RunState.RUNNING, set.machine.state());
        }
    }

    @Test
    void malformedRequestsGetQemusErrorsAndTheConnectionGoesOn() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            JsonNode parse = client.execute("{\"execute\": }");
            assertEquals("GenericError", parse.at("/error/class").asText());
            assertTrue(parse.at("/error/desc").asText().startsWith("JSON parse error, "), parse.toString());
            assertFalse(parse.has("id"));
            assertEquals("QMP input must be a JSON object", client.execute("[1, 2]").at("/error/desc").asText());
            assertEquals("QMP input must be a JSON object", client.execute("42 ").at("/error/desc").asText());
            JsonNode unknownKey = client.execute("{\"execute\": \"stop\", \"bogus\": 1, \"id\": 3}");
            assertEquals("QMP input member 'bogus' is unexpected", unknownKey.at("/error/desc").asText());
            assertEquals(3, unknownKey.get("id").asInt());
            assertEquals("QMP input member 'execute' must be a string", client.execute("{\"execute\": 5}").at("/error/desc").asText());
            assertEquals("QMP input member 'arguments' must be an object",
                    client.execute("{\"execute\": \"stop\", \"arguments\": []}").at("/error/desc").asText());
            assertEquals("QMP input lacks member 'execute'", client.execute("{\"id\": 1}").at("/error/desc").asText());
            assertEquals("The command frobnicate has not been found",
                    client.execute("{\"execute\": \"frobnicate\"}").at("/error/desc").asText());
            assertEquals("CommandNotFound", client.execute("{\"execute\": \"frobnicate\"}").at("/error/class").asText());
            assertEquals("Invalid parameter type for 'path', expected: string",
                    client.execute("{\"execute\": \"qom-list\", \"arguments\": {\"path\": 1}}").at("/error/desc").asText());
            assertEquals("Parameter 'path' is missing",
                    client.execute("{\"execute\": \"qom-list\", \"arguments\": {}}").at("/error/desc").asText());
            assertEquals("Parameter 'force' is unexpected",
                    client.execute("{\"execute\": \"stop\", \"arguments\": {\"force\": true}}").at("/error/desc").asText());
            assertEquals(RunState.RUNNING, set.machine.state(), "a refused stop must not stop the machine");
            JsonNode reset = client.execute("{\"execute\": \"query-status\"\u0001");
            assertEquals("JSON parse error, stray '\\x01'", reset.at("/error/desc").asText());
            assertEquals("running", client.execute("{\"execute\": \"query-status\"}").at("/return/status").asText());
        }
    }

    @Test
    void singleQuotesAndMessagesWithoutNewlinesAreAccepted() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            client.send("{'execute': 'query-name', 'id': 'it\\'s'}{\"execute\": \"query-target\"}");
            JsonNode name = client.next();
            assertEquals("vm0", name.at("/return/name").asText());
            assertEquals("it's", name.get("id").asText());
            assertEquals("riscv64", client.next().at("/return/arch").asText());
        }
    }

    @Test
    void messageOverTheLimitIsRefusedAndTheNextOneServed() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            String huge = "{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"" + "x".repeat(QmpSettings.DEFAULT_MAX_MESSAGE_BYTES) + "\"}}";
            client.send(huge);
            JsonNode refused = client.nextResponse();
            assertEquals("JSON token size limit exceeded", refused.at("/error/desc").asText());
            assertEquals("vm0", client.execute("{\"execute\": \"query-name\"}").at("/return/name").asText());
        }
    }

    @Test
    void halfAMessageStallsOnlyItsOwnClient() throws Exception {
        try (QmpClient stalled = QmpClient.negotiated(socket); QmpClient other = QmpClient.negotiated(socket)) {
            stalled.send("{\"execute\": \"query-");
            assertEquals("running", other.execute("{\"execute\": \"query-status\"}").at("/return/status").asText());
            assertNull(stalled.poll(Duration.ofMillis(200)));
            stalled.send("status\"}");
            assertEquals("running", stalled.nextResponse().at("/return/status").asText());
        }
    }

    @Test
    void clientLeavingInTheMiddleOfACommandHarmsNobody() throws Exception {
        set.machine.duringStop = () -> sleep(300);
        try (QmpClient leaving = QmpClient.negotiated(socket); QmpClient other = QmpClient.negotiated(socket)) {
            leaving.send("{\"execute\": \"stop\"}");
            Thread.sleep(50);
            leaving.close();
            assertEquals("STOP", other.nextEvent("STOP").get("event").asText());
            assertEquals("paused", other.execute("{\"execute\": \"query-status\"}").at("/return/status").asText());
        }
        awaitClients(0);
    }

    @Test
    void everyNegotiatedClientGetsEventsAndOnlyThey() throws Exception {
        try (QmpClient a = QmpClient.negotiated(socket); QmpClient b = QmpClient.negotiated(socket);
             QmpClient fresh = QmpClient.connect(socket)) {
            fresh.next(); // greeting
            a.send("{\"execute\": \"stop\"}");
            assertEquals("STOP", a.nextEvent("STOP").get("event").asText());
            assertEquals("STOP", b.nextEvent("STOP").get("event").asText());
            assertNull(fresh.poll(Duration.ofMillis(300)), "no events before negotiation");
        }
    }

    @Test
    void deviceAddAndDelOverQmp() throws Exception {
        try (QmpClient client = QmpClient.negotiated(socket)) {
            assertEquals("{\"return\":{}}", client.execute(
                    "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"virtio-rng-device\", \"id\": \"rng0\"}}").toString());
            JsonNode list = client.execute("{\"execute\": \"qom-list\", \"arguments\": {\"path\": \"/machine/peripheral\"}}");
            assertTrue(list.get("return").toString().contains("{\"name\":\"rng0\",\"type\":\"child<virtio-rng-device>\"}"), list.toString());
            assertEquals("'frob' is not a valid device model name", client.execute(
                    "{\"execute\": \"device_add\", \"arguments\": {\"driver\": \"frob\"}}").at("/error/desc").asText());
            JsonNode missing = client.execute("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"nope\"}}");
            assertEquals("DeviceNotFound", missing.at("/error/class").asText());
            assertEquals("Device 'nope' not found", missing.at("/error/desc").asText());
            assertTrue(client.execute("{\"execute\": \"device_del\", \"arguments\": {\"id\": \"rng0\"}}").has("return"));
            JsonNode deleted = client.nextEvent("DEVICE_DELETED");
            assertEquals("{\"device\":\"rng0\",\"path\":\"/machine/peripheral/rng0\"}", deleted.get("data").toString());
        }
    }

    @Test
    void clientThatDoesNotReadIsDisconnectedWithoutEverBlockingTheEventSource() throws Exception {
        server.close();
        server = new QmpServer(QmpSettings.unix("qmp0", socket).withLimits(QmpSettings.DEFAULT_MAX_MESSAGE_BYTES, 256), set.commands);
        try (java.nio.channels.SocketChannel slow = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
             QmpClient reader = QmpClient.negotiated(socket)) {
            slow.connect(java.net.UnixDomainSocketAddress.of(socket));
            slow.write(java.nio.ByteBuffer.wrap("{\"execute\": \"qmp_capabilities\"}".getBytes()));
            awaitClients(2);
            Thread.sleep(200); // the slow client's negotiation is answered
            // bursts a reading client keeps up with; the one that never reads fills its socket, then its queue
            long slowest = 0;
            for (int i = 0; i < 20_000; i++) {
                long start = System.nanoTime();
                set.commands.emit("vm0", "POWERDOWN", java.util.Map.of());
                slowest = Math.max(slowest, System.nanoTime() - start);
                if (i % 8 == 7) {
                    Thread.sleep(1);
                }
            }
            // a blocked emit would wait for ever (the slow client never reads); a loaded host may pause one briefly
            assertTrue(slowest < 2_000_000_000L, "one emit took " + slowest / 1_000_000 + " ms");
            awaitClients(1);
            assertEquals("vm0", reader.execute("{\"execute\": \"query-name\"}").at("/return/name").asText());
        }
    }

    @Test
    void closingTheServerEndsItsClientsAndRemovesTheSocket() throws Exception {
        QmpClient client = QmpClient.negotiated(socket);
        server.close();
        assertTrue(client.awaitClosed(Duration.ofSeconds(5)));
        assertFalse(Files.exists(socket));
        assertEquals(0, server.clientCount());
        client.close();
        server = new QmpServer(QmpSettings.unix("qmp0", socket), set.commands); // the stale-free path binds again
    }

    private void awaitClients(int count) throws InterruptedException {
        for (int i = 0; i < 200 && server.clientCount() != count; i++) {
            Thread.sleep(25);
        }
        assertEquals(count, server.clientCount());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
