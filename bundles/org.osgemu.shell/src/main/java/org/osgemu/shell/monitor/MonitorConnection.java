package org.osgemu.shell.monitor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/**
 * One monitor client, start to end: greets, prompts, runs each line through a Gogo session of
 * its own, prints the result or one {@code error:} line, and prompts again until the input ends.
 * Output lines end in CR LF, as QEMU's monitor writes them, so raw terminals and telnet show
 * them right.
 */
final class MonitorConnection {

    static final String GREETING = "osgemu monitor - type 'help' for more information";
    static final String PROMPT = "(osgemu) ";
    /** Gogo looks commands up in these scopes, in order: ours first, so {@code stop} is the VM's, not a bundle's. */
    static final String SCOPE = "osgemu:*";

    private final CommandProcessor processor;

    MonitorConnection(CommandProcessor processor) {
        this.processor = processor;
    }

    /**
     * Serves one client until its input ends. Neither stream is closed: the caller owns them.
     *
     * @throws IOException when the client's streams fail (it went away)
     */
    void serve(InputStream in, OutputStream out) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        // The session gets no keyboard: the client's input is ours to read line by line, and
        // no monitor command reads input of its own.
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out);
        try {
            session.put("SCOPE", SCOPE);
            write(out, GREETING + "\n");
            while (true) {
                write(out, PROMPT);
                String line = lines.readLine();
                if (line == null) {
                    return;
                }
                String command = line.strip();
                if (!command.isEmpty()) {
                    write(out, run(session, command));
                }
            }
        } finally {
            session.close();
        }
    }

    /** The text to show for one command line: its result, nothing, or one error line. */
    static String run(CommandSession session, String command) {
        try {
            Object result = session.execute(command);
            if (result == null) {
                return "";
            }
            String text = String.valueOf(session.format(result, Converter.INSPECT));
            return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
        } catch (Exception e) {
            return "error: " + oneLine(e) + "\n";
        }
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.replaceAll("\r?\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
