package org.osgemu.shell.monitor;

import java.io.IOException;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The human monitor, QEMU's HMP: one instance per {@value MonitorConfig#PID} factory
 * configuration, listening on stdio, a unix socket or a TCP socket. Each client gets a Gogo
 * session of its own whose command lookup tries the {@code osgemu} scope first, so the monitor
 * speaks the commands of {@code org.osgemu.shell.commands.MonitorCommands} and, after them,
 * every other Gogo command.
 */
@Component(configurationPid = MonitorConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = MonitorConfig.class, factory = true)
public final class MonitorServer {

    private final MonitorEndpoint endpoint;

    @Activate
    public MonitorServer(MonitorConfig config, @Reference CommandProcessor processor) throws IOException {
        this(MonitorSettings.from(config), processor);
    }

    MonitorServer(MonitorSettings settings, CommandProcessor processor) throws IOException {
        MonitorConnection connection = new MonitorConnection(processor);
        this.endpoint = switch (settings.transport()) {
            case STDIO -> StdioListener.open(settings, connection);
            case UNIX, TCP -> SocketListener.open(settings, connection);
        };
    }

    /** Ends the listener, every client connection and their threads; removes a socket file made here. */
    @Deactivate
    public void close() {
        endpoint.close();
    }

    /** The running transport (for tests). */
    MonitorEndpoint endpoint() {
        return endpoint;
    }
}
