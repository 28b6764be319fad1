package org.osgemu.shell.monitor;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.apache.felix.service.command.JobListener;

/**
 * A command processor whose sessions know three commands: {@code echo WORDS} answers the words,
 * {@code quiet} answers null and {@code fail} throws with a two-line message.
 */
final class FakeCommandProcessor implements CommandProcessor {

    final List<FakeSession> sessions = new CopyOnWriteArrayList<>();

    @Override
    public CommandSession createSession(InputStream in, OutputStream out, OutputStream err) {
        FakeSession session = new FakeSession();
        sessions.add(session);
        return session;
    }

    @Override
    public CommandSession createSession(CommandSession parent) {
        throw new UnsupportedOperationException();
    }

    static final class FakeSession implements CommandSession {
        final Map<String, Object> variables = new ConcurrentHashMap<>();
        volatile boolean closed;

        @Override
        public Object execute(CharSequence line) {
            String command = line.toString();
            if (command.startsWith("echo ")) {
                return command.substring(5);
            }
            return switch (command) {
                case "quiet" -> null;
                case "fail" -> throw new IllegalStateException("boom\nsecond line");
                default -> throw new IllegalArgumentException("Command not found: " + command);
            };
        }

        @Override public CharSequence format(Object target, int level) { return "[" + target + "]"; }
        @Override public Object put(String name, Object value) { return variables.put(name, value); }
        @Override public Object get(String name) { return variables.get(name); }
        @Override public void close() { closed = true; }
        @Override public Path currentDir() { return null; }
        @Override public void currentDir(Path path) { }
        @Override public ClassLoader classLoader() { return null; }
        @Override public void classLoader(ClassLoader classLoader) { }
        @Override public InputStream getKeyboard() { return InputStream.nullInputStream(); }
        @Override public PrintStream getConsole() { return null; }
        @Override public Object convert(Class<?> type, Object instance) { return instance; }
        @Override public List<Job> jobs() { return List.of(); }
        @Override public Job foregroundJob() { return null; }
        @Override public void setJobListener(JobListener listener) { }
    }
}
