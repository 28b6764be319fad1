package org.osgemu.qmp.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of one QMP server (factory PID {@value #PID}), what {@code -qmp unix:PATH,...},
 * {@code -qmp tcp:HOST:PORT,...} or {@code -mon chardev=ID,mode=control} ask for. The defaults
 * are applied by bnd at build time only; {@link QmpSettings#from} checks every value again.
 */
@ObjectClassDefinition(name = "osgemu QMP server",
        description = "A QEMU Machine Protocol server on a unix socket, a TCP socket or stdio")
public @interface QmpConfig {

    /** Factory PID of QMP server configurations. */
    String PID = "osgemu.qmp";

    @AttributeDefinition(description = "Name of this server, used in messages and thread names")
    String id();

    @AttributeDefinition(description = "Where the server listens",
            options = {@Option(value = "unix"), @Option(value = "tcp"), @Option(value = "stdio")})
    String transport();

    @AttributeDefinition(description = "unix transport: path of the socket file", required = false)
    String path() default "";

    @AttributeDefinition(description = "tcp transport: address to bind (only this one)", required = false)
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "tcp transport: port to listen on; 0 picks a free one", required = false)
    int port() default 0;

    @AttributeDefinition(description = "Name of the machine the commands address; empty for the first machine",
            required = false)
    String machine() default "";

    @AttributeDefinition(description = "Largest request in bytes", required = false)
    int maxMessageBytes() default QmpSettings.DEFAULT_MAX_MESSAGE_BYTES;

    @AttributeDefinition(description = "Messages that may wait for a client that does not read before it is disconnected",
            required = false)
    int outboxCapacity() default QmpSettings.DEFAULT_OUTBOX_CAPACITY;
}
