package org.osgemu.qmp.schema;

import java.util.List;

/**
 * Writes the command reference ({@code docs/qmp-commands.md}) from a schema: every command with
 * its arguments, result and example, every event, every type. The text is a pure function of
 * the schema, so a test can check that the committed file is what the schema says.
 */
public final class CommandReference {

    private static final String PREAMBLE = """
            # QMP and shell command reference

            <!-- Generated from the schema documents in bundles/org.osgemu.qmp/src/main/resources/qapi
                 by org.osgemu.qmp.schema.CommandReference; do not edit. Regenerate with
                 mvn -pl bundles/org.osgemu.qmp test -Dosgemu.qmp.writeDocs=true -->

            osgemu has one command set. Every command, event and type below is defined once, in a
            QAPI-like JSON schema; the command registry checks each call's arguments against it before
            the command runs, and `query-qmp-schema` is generated from it. QMP and the Gogo shell are two
            front ends over the same registry. Other bundles add commands by registering a
            `CommandProvider` service (package `org.osgemu.api.command`) with a schema document of
            their own; their commands then appear in QMP, in the shell and in `query-qmp-schema`.

            ## The protocol

            - Transports: `-qmp unix:PATH,server=on,wait=off`, `-qmp tcp:127.0.0.1:PORT,server=on,wait=off`,
              `-qmp stdio`, and `-chardev socket,id=ID,path=PATH,server=on,wait=off -mon chardev=ID,mode=control`.
              Several clients at once, each with its own negotiation.
            - Greeting: `{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 8}, "package": "osgemu 0.1.0"},
              "capabilities": ["oob"]}}`. osgemu reports QEMU 8.2.0, the release whose command set it follows;
              `package` names osgemu. `oob` is offered on sockets (not on stdio); no command allows
              out-of-band execution yet.
            - Until `qmp_capabilities`, every other command fails with `CommandNotFound`
              "Expecting capabilities negotiation with 'qmp_capabilities'", and no events are sent.
            - Requests are JSON objects with `execute` (or `exec-oob`), optional `arguments` and `id`;
              `id` is echoed in the response. Messages follow each other on the stream with or without
              newlines; single-quoted strings are accepted as QEMU accepts them. Every message the server
              sends is one line ending in CR LF.
            - Errors: `{"error": {"class": ..., "desc": ...}}` with QEMU's classes (`GenericError`,
              `CommandNotFound`, `DeviceNotFound`, `DeviceNotActive`, `KVMMissingCap`) and QEMU's wording
              for argument errors ("Parameter 'x' is missing", "Invalid parameter type for 'x', expected:
              integer", "Parameter 'x' is unexpected", ...). Errors found before a request could be read
              (bad JSON, a message that is not an object) carry no `id`.
            - Bad input: malformed JSON gets `GenericError` "JSON parse error, ..." and the connection goes
              on; a control character (other than tab, CR, LF) resets the parser, as in QEMU. A request over
              1 MiB gets "JSON token size limit exceeded" and is skipped (QEMU's limit is 64 MiB; 1 MiB is
              far above any real request); nesting deeper than 1024 gets "JSON nesting depth limit
              exceeded". A client that sends half a message and stalls holds only its own connection.
            - Events carry `timestamp` `{seconds, microseconds}`. They are queued per client; a client
              that does not read is disconnected when 1024 messages wait for it, so no event source ever
              waits for a client.
            - `stop` and `cont` act before they answer (STOP and RESUME come before the answer, as in
              QEMU); `system_reset`, `system_powerdown` and `quit` answer first and act after.

            ## The shell

            Every command is a Gogo command of scope `osgemu` with the same name, taking its arguments as
            `name=value` words (or in schema order), e.g. `qom-get path=/machine property=type`. QEMU's
            monitor names work as well: `info status`, `info version`, `info chardev`,
            `device_add DRIVER,prop=value,...`, `device_del ID`, `system_powerdown`. `qmp '{"execute": ...}'`
            runs a raw QMP request and prints the response; `human-monitor-command` runs a shell line from QMP.
            """;

    private CommandReference() {
    }

    /** The reference text of {@code schema}. */
    public static String of(Schema schema) {
        StringBuilder text = new StringBuilder(PREAMBLE);
        text.append("\n## Commands\n");
        for (Definition.Command c : schema.commands()) {
            text.append("\n### `").append(c.name()).append("`\n\n").append(c.doc()).append('\n');
            members(text, "Arguments", c.arguments());
            if (c.open()) {
                text.append("\nFurther arguments are passed on unchecked (the device's properties).\n");
            }
            text.append("\nReturns: ").append(c.returns().isEmpty() ? "nothing (an empty object)" : "`" + c.returns() + "`")
                    .append('\n');
            example(text, c.example());
        }
        text.append("\n## Events\n");
        for (Definition.Event e : schema.events()) {
            text.append("\n### `").append(e.name()).append("`\n\n").append(e.doc()).append('\n');
            members(text, "Data", e.data());
            example(text, e.example());
        }
        text.append("\n## Types\n");
        for (Definition d : schema.types()) {
            switch (d) {
                case Definition.Struct s -> {
                    text.append("\n### `").append(s.name()).append("` (object)\n\n").append(s.doc()).append('\n');
                    members(text, "Members", s.members());
                }
                case Definition.Enum e -> {
                    text.append("\n### `").append(e.name()).append("` (enum)\n\n").append(e.doc()).append("\n\n");
                    for (Definition.EnumValue v : e.values()) {
                        text.append("- `").append(v.name()).append('`')
                                .append(v.doc().isEmpty() ? "" : ": " + v.doc()).append('\n');
                    }
                }
                default -> throw new IllegalStateException("not a type: " + d.name());
            }
        }
        return text.toString();
    }

    private static void members(StringBuilder text, String title, List<Member> members) {
        if (members.isEmpty()) {
            return;
        }
        text.append('\n').append(title).append(":\n\n| name | type | | description |\n|---|---|---|---|\n");
        for (Member m : members) {
            text.append("| `").append(m.name()).append("` | `").append(m.type()).append("` | ")
                    .append(m.optional() ? "optional" : "").append(" | ").append(m.doc().replace("|", "\\|")).append(" |\n");
        }
    }

    private static void example(StringBuilder text, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        text.append("\nExample:\n\n```\n");
        lines.forEach(line -> text.append(line).append('\n'));
        text.append("```\n");
    }
}
