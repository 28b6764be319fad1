package org.osgemu.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.migration.transport.MigrationUri;

/** Migration URIs as QEMU spells them, and what is wrong with those that are not. */
class MigrationUriTest {

    @Test
    void tcpUnixFileAndDefer() throws Exception {
        MigrationUri tcp = MigrationUri.parse("tcp:127.0.0.1:4446");
        assertEquals(MigrationUri.Transport.TCP, tcp.transport());
        assertEquals("127.0.0.1", tcp.host());
        assertEquals(4446, tcp.port());
        MigrationUri any = MigrationUri.parse("tcp::4446");
        assertEquals("", any.host());
        MigrationUri v6 = MigrationUri.parse("tcp:[::1]:4446");
        assertEquals("::1", v6.host());
        assertEquals(Path.of("/tmp/m.sock"), MigrationUri.parse("unix:/tmp/m.sock").path());
        assertEquals(Path.of("/tmp/vm.snapshot"), MigrationUri.parse("file:/tmp/vm.snapshot").path());
        assertEquals(MigrationUri.Transport.DEFER, MigrationUri.parse("defer").transport());
    }

    @Test
    void badUrisAreRefusedSayingWhatIsWrong() {
        assertEquals("tcp:localhost:http: port 'http' is not a number", refusal("tcp:localhost:http"));
        assertEquals("tcp:localhost:70000: port 70000 is not in 0..65535", refusal("tcp:localhost:70000"));
        assertEquals("tcp:::1:4446: give tcp:HOST:PORT (an IPv6 address goes in brackets)", refusal("tcp:::1:4446"));
        assertEquals("tcp:h:1,ipv4: options after the port (,ipv4) are not supported", refusal("tcp:h:1,ipv4"));
        assertEquals("transport 'exec:' is not supported; give tcp:HOST:PORT, unix:PATH or file:PATH", refusal("exec:cat"));
        assertEquals("unknown transport 'ftp:' in 'ftp:x'; give tcp:HOST:PORT, unix:PATH or file:PATH", refusal("ftp:x"));
        assertEquals("unix: needs a path, e.g. unix:/tmp/vm.sock", refusal("unix:"));
        assertEquals("empty migration URI; give tcp:HOST:PORT, unix:PATH or file:PATH", refusal(" "));
    }

    private static String refusal(String uri) {
        return assertThrows(MigrationException.class, () -> MigrationUri.parse(uri)).getMessage();
    }
}
