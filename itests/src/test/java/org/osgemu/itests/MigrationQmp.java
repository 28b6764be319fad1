package org.osgemu.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A QMP client on a unix socket for the migration system tests: negotiates, runs commands one at
 * a time (answers come back as the raw JSON line) and keeps the events that arrive meanwhile.
 */
final class MigrationQmp implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("\"status\": \"([a-z-]+)\"");

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> events = new CopyOnWriteArrayList<>();

    private MigrationQmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects once {@code vm} created the socket, and negotiates. */
    static MigrationQmp connect(Path socket, Osgemu vm) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        SocketChannel channel = null;
        while (channel == null) {
            if (System.nanoTime() > deadline || !vm.process().isAlive()) {
                fail("no QMP server on " + socket + "; stderr:\n" + vm.stderr());
            }
            if (Files.exists(socket)) {
                SocketChannel attempt = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    attempt.connect(UnixDomainSocketAddress.of(socket));
                    channel = attempt;
                    continue;
                } catch (IOException notListeningYet) {
                    attempt.close(); // the file appears before the server listens
                }
            }
            Thread.sleep(50);
        }
        MigrationQmp qmp = new MigrationQmp(channel);
        assertTrue(qmp.in.readLine().startsWith("{\"QMP\""));
        qmp.ok("{\"execute\": \"qmp_capabilities\"}");
        return qmp;
    }

    /** Runs a command (a JSON request) and returns its answer. */
    synchronized String execute(String request) throws IOException {
        out.write((request + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("{\"timestamp\"")) {
                events.add(line);
            } else {
                return line;
            }
        }
        throw new IOException("QMP connection closed while waiting for the answer to " + request);
    }

    /** Runs a command that must succeed with an empty answer. */
    void ok(String request) throws IOException {
        String answer = execute(request);
        if (!answer.equals("{\"return\": {}}")) {
            fail(request + " answered " + answer);
        }
    }

    /** query-migrate's answer. */
    String queryMigrate() throws IOException {
        return execute("{\"execute\": \"query-migrate\"}");
    }

    /** The migration status query-migrate reports, or "" before any migration. */
    String migrationStatus() throws IOException {
        Matcher m = STATUS.matcher(queryMigrate());
        return m.find() ? m.group(1) : "";
    }

    /** The run state query-status reports. */
    String runState() throws IOException {
        Matcher m = STATUS.matcher(execute("{\"execute\": \"query-status\"}"));
        return m.find() ? m.group(1) : "";
    }

    /** Waits until query-migrate reports one of {@code statuses}; returns it. */
    String awaitMigration(long seconds, String... statuses) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = queryMigrate();
            Matcher m = STATUS.matcher(last);
            if (m.find() && List.of(statuses).contains(m.group(1))) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        fail("query-migrate never reported " + List.of(statuses) + "; last: " + last);
        return null;
    }

    /** Sets capabilities on, e.g. {@code "return-path", "switchover-ack"}. */
    void capabilities(String... names) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String name : names) {
            list.append(list.isEmpty() ? "" : ", ").append("{\"capability\": \"").append(name).append("\", \"state\": true}");
        }
        ok("{\"execute\": \"migrate-set-capabilities\", \"arguments\": {\"capabilities\": [" + list + "]}}");
    }

    /** The events received so far, raw. */
    List<String> events() {
        return events;
    }

    /** A number member of a JSON answer, e.g. {@code downtime}; -1 when absent. */
    static long number(String answer, String member) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(member) + "\": (\\d+)").matcher(answer);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
