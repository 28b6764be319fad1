package org.osgemu.shell.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class MonitorSettingsTest {

    /** A configuration as DS would hand it over, missing values included. */
    private static MonitorConfig config(String id, String transport, String path, String host, int port) {
        return new MonitorConfig() {
            @Override public Class<? extends Annotation> annotationType() { return MonitorConfig.class; }
            @Override public String id() { return id; }
            @Override public String transport() { return transport; }
            @Override public String path() { return path; }
            @Override public String host() { return host; }
            @Override public int port() { return port; }
        };
    }

    private static String refusal(MonitorConfig config) {
        return assertThrows(MonitorConfigException.class, () -> MonitorSettings.from(config)).getMessage();
    }

    @Test
    void validConfigurationsBecomeSettings() {
        assertEquals(MonitorSettings.unix("m", Path.of("/run/m.sock")),
                MonitorSettings.from(config("m", "unix", "/run/m.sock", null, 0)));
        assertEquals("tcp:127.0.0.1:4444", MonitorSettings.from(config("m", "TCP", null, "127.0.0.1", 4444)).where());
        assertEquals("stdio", MonitorSettings.from(config("m", "stdio", null, null, 0)).where());
    }

    @Test
    void mistakesNameTheMonitorTheOptionAndTheValue() {
        assertEquals("monitor: the 'id' property is missing in configuration osgemu.monitor",
                refusal(config(null, "stdio", null, null, 0)));
        assertEquals("monitor m: transport 'serial' is not one of stdio, unix, tcp",
                refusal(config("m", "serial", null, null, 0)));
        assertEquals("monitor m: the 'transport' property is missing; use stdio, unix or tcp",
                refusal(config("m", null, null, null, 0)));
        assertEquals("monitor m: transport unix needs a 'path' for the socket file",
                refusal(config("m", "unix", "", null, 0)));
        assertEquals("monitor m: transport tcp needs a 'host' to bind, e.g. 127.0.0.1",
                refusal(config("m", "tcp", null, null, 4444)));
        assertEquals("monitor m: port 70000 is not in 0..65535",
                refusal(config("m", "tcp", null, "127.0.0.1", 70000)));
    }
}
