package org.osgemu.qmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgemu.qmp.testing.TestCommandSet;

/**
 * A scripted session as people run one by hand: {@code socat} sends a file of requests (several
 * on one line, as QEMU allows) and closes its side; every answer still arrives, in order, each
 * line ending in CR LF. Needs Debian's socat (scripts/test installs it).
 */
class SocatSessionTest {

    @TempDir
    Path dir;

    @Test
    void scriptedSessionGetsEveryAnswerInOrder() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/socat")), "socat is not installed");
        Path socket = dir.resolve("qmp.sock");
        TestCommandSet set = new TestCommandSet();
        QmpServer server = new QmpServer(QmpSettings.unix("qmp0", socket), set.commands);
        try {
            Path script = dir.resolve("script");
            Files.writeString(script, """
                    {"execute": "qmp_capabilities"}{"execute": "query-status", "id": "a"}
                    {"execute": "query-name"}
                    {"execute": "frob"}
                    {"execute": "stop"}
                    """);
            Process socat = new ProcessBuilder("socat", "-t", "3", "STDIO", "UNIX-CONNECT:" + socket)
                    .redirectInput(script.toFile()).redirectErrorStream(true).start();
            String out = new String(socat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            socat.waitFor(10, TimeUnit.SECONDS);
            List<String> lines = List.of(out.split("\r\n"));
            assertEquals(7, lines.size(), out);
            assertEquals("{\"return\": {}}", lines.get(1));
            assertEquals("{\"return\": {\"status\": \"running\", \"singlestep\": false, \"running\": true}, \"id\": \"a\"}", lines.get(2));
            assertEquals("{\"return\": {\"name\": \"vm0\"}}", lines.get(3));
            assertEquals("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command frob has not been found\"}}", lines.get(4));
            assertEquals(true, lines.get(5).matches("\\{\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+}, \"event\": \"STOP\"}"),
                    lines.get(5));
            assertEquals("{\"return\": {}}", lines.get(6));
            assertEquals(true, out.endsWith("\r\n"));
        } finally {
            server.close();
        }
    }
}
