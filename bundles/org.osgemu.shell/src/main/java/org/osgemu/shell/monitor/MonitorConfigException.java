package org.osgemu.shell.monitor;

/** A monitor configuration that cannot work; the message names the monitor, the option and the bad value. */
public final class MonitorConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MonitorConfigException(String message) {
        super(message);
    }
}
