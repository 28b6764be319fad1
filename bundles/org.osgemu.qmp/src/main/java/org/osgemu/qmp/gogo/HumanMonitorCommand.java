package org.osgemu.qmp.gogo;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandHandler;
import org.osgemu.api.command.CommandProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code human-monitor-command} of {@code qapi/hmp.json}: runs one command line through the
 * Gogo shell, with the {@code osgemu} scope first as the human monitor has it, and returns what
 * it printed and returned as text. A failing command line is not a QMP error in QEMU either:
 * its message is the returned text.
 */
@Component(service = CommandProvider.class)
public final class HumanMonitorCommand implements CommandProvider {

    private final CommandProcessor processor;

    @Activate
    public HumanMonitorCommand(@Reference CommandProcessor processor) {
        this.processor = processor;
    }

    @Override
    public URL schema() {
        return HumanMonitorCommand.class.getResource("/qapi/hmp.json");
    }

    @Override
    public Map<String, CommandHandler> handlers() {
        return Map.of("human-monitor-command", this::run);
    }

    private Object run(CommandContext context, Map<String, Object> arguments) throws CommandException {
        String line = (String) arguments.get("command-line");
        if (arguments.containsKey("cpu-index") && (Long) arguments.get("cpu-index") != 0L) {
            throw new CommandException("Parameter 'cpu-index' expects a CPU the monitor can select; only CPU 0 is supported");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out);
        StringBuilder text = new StringBuilder();
        try {
            session.put("SCOPE", "osgemu:*");
            Object result = session.execute(line);
            out.flush();
            text.append(bytes.toString(StandardCharsets.UTF_8));
            if (result != null) {
                text.append(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            out.flush();
            text.append(bytes.toString(StandardCharsets.UTF_8));
            text.append("Error: ").append(e.getMessage() == null ? e.toString() : e.getMessage());
        } finally {
            session.close();
        }
        String result = text.toString().replace("\r\n", "\n");
        return result.isEmpty() || result.endsWith("\n") ? result.replace("\n", "\r\n") : (result + "\n").replace("\n", "\r\n");
    }
}
