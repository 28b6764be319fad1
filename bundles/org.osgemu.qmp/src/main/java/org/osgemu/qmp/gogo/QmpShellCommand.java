package org.osgemu.qmp.gogo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.qmp.server.Json;
import org.osgemu.qmp.server.QmpProtocol;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo command {@code qmp '{"execute": ...}'}: runs one raw QMP request through the same
 * protocol rules as a QMP connection that has finished negotiating, and prints the response
 * (and nothing of the events, which belong to QMP connections).
 */
@Component(service = Object.class, property = {"osgi.command.scope=osgemu", "osgi.command.function=qmp"})
public final class QmpShellCommand {

    private final CommandRegistry registry;

    @Activate
    public QmpShellCommand(@Reference CommandRegistry registry) {
        this.registry = registry;
    }

    @Descriptor("run a raw QMP request, e.g. qmp '{\"execute\": \"query-status\"}', and print the response")
    public String qmp(@Descriptor("the request as JSON") String... request) {
        String text = String.join(" ", request);
        QmpProtocol protocol = new QmpProtocol(registry, "", false);
        protocol.startInCommandMode();
        Map<String, Object> response;
        List<Runnable> afterResponse = new ArrayList<>();
        try {
            response = protocol.handle(Json.parse(text), afterResponse);
        } catch (Json.ParseException e) {
            response = QmpProtocol.errorResponse(ErrorClass.GENERIC_ERROR, e.getMessage(), null, false);
        }
        String answer = Json.write(response);
        afterResponse.forEach(Runnable::run);
        return answer;
    }
}
