package org.osgemu.shell.monitor;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of one monitor (factory PID {@value #PID}), what {@code -monitor stdio},
 * {@code -monitor unix:PATH,server} or {@code -monitor tcp:HOST:PORT,server} ask for.
 * The defaults here are applied by bnd at build time only; {@link MonitorSettings#from} checks
 * every value again at activation.
 */
@ObjectClassDefinition(name = "osgemu monitor",
        description = "A human monitor (QEMU's HMP) over stdio, a unix socket or a TCP socket")
public @interface MonitorConfig {

    /** Factory PID of monitor configurations. */
    String PID = "osgemu.monitor";

    @AttributeDefinition(description = "Name of this monitor, used in messages and thread names")
    String id();

    @AttributeDefinition(description = "Where the monitor listens",
            options = {@Option(value = "stdio"), @Option(value = "unix"), @Option(value = "tcp")})
    String transport();

    @AttributeDefinition(description = "unix transport: path of the socket file", required = false)
    String path() default "";

    @AttributeDefinition(description = "tcp transport: address to bind (only this one)", required = false)
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "tcp transport: port to listen on; 0 picks a free one", required = false)
    int port() default 0;
}
