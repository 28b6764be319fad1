package org.osgemu.shell.monitor;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of a monitor on a chardev (factory PID {@value #PID}), what
 * {@code -mon chardev=ID} on a multiplexed chardev and {@code -serial mon:stdio} ask for. The
 * chardev is chosen by the reference target {@code chardev.target}, e.g. {@code (id=monitor0)}.
 */
@ObjectClassDefinition(name = "osgemu monitor on a chardev",
        description = "A human monitor (QEMU's HMP) on a character device, such as the monitor side of a mux")
public @interface ChardevMonitorConfig {

    /** Factory PID of these configurations. */
    String PID = "osgemu.monitor.chardev";

    @AttributeDefinition(description = "Name of this monitor, used in messages and thread names")
    String id();
}
