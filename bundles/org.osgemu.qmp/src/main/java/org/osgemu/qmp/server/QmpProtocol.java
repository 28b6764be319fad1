package org.osgemu.qmp.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.command.CommandContext;
import org.osgemu.api.command.CommandException;
import org.osgemu.api.command.CommandInfo;
import org.osgemu.api.command.CommandRegistry;
import org.osgemu.api.command.ErrorClass;
import org.osgemu.qmp.registry.QemuVersion;

/**
 * The request/response rules of QMP for one client, over the {@link CommandRegistry}: the
 * greeting, capabilities negotiation, the checks of a request's members, {@code id}
 * passthrough, and errors as {@code {"error": {"class", "desc"}}} worded as QEMU words them.
 * Not thread-safe: one client's requests are handled one after the other.
 */
public final class QmpProtocol {

    /** The capability QEMU offers on monitors with an I/O thread (sockets). */
    public static final String OOB = "oob";

    private final CommandRegistry registry;
    private final String machine;
    private final boolean offerOob;
    private boolean negotiated;
    private boolean oobEnabled;

    /**
     * @param machine the machine commands address, {@code ""} for the first one
     * @param offerOob whether the greeting offers the {@code oob} capability
     */
    public QmpProtocol(CommandRegistry registry, String machine, boolean offerOob) {
        this.registry = registry;
        this.machine = machine;
        this.offerOob = offerOob;
    }

    /** Whether negotiation is over: commands run and events are delivered. */
    public boolean isNegotiated() {
        return negotiated;
    }

    /** Skips negotiation (the shell's {@code qmp} command, which has no greeting). */
    public void startInCommandMode() {
        negotiated = true;
    }

    /** {@code {"QMP": {"version": ..., "capabilities": [...]}}}. */
    public Map<String, Object> greeting() {
        Map<String, Object> qmp = new LinkedHashMap<>();
        qmp.put("version", QemuVersion.versionInfo());
        qmp.put("capabilities", offerOob ? List.of(OOB) : List.of());
        return Map.of("QMP", qmp);
    }

    /**
     * An error response; {@code id} is echoed when the request had one ({@code hasId}), and
     * left out for faults found before a request could be read, as QEMU does.
     */
    public static Map<String, Object> errorResponse(ErrorClass errorClass, String desc, Object id, boolean hasId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("class", errorClass.wireName());
        error.put("desc", desc);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("error", error);
        if (hasId) {
            response.put("id", id);
        }
        return response;
    }

    /**
     * Handles one request; {@code afterResponse} collects actions to run once the response is
     * on its way ({@link CommandContext#afterResponse}).
     */
    public Map<String, Object> handle(Object request, List<Runnable> afterResponse) {
        if (!(request instanceof Map<?, ?> raw)) {
            return errorResponse(ErrorClass.GENERIC_ERROR, "QMP input must be a JSON object", null, false);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> dict = (Map<String, Object>) raw;
        boolean hasId = dict.containsKey("id");
        Object id = dict.get("id");
        try {
            Object result = dispatch(dict, afterResponse);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("return", result == null ? Map.of() : result);
            if (hasId) {
                response.put("id", id);
            }
            return response;
        } catch (CommandException e) {
            return errorResponse(e.errorClass(), e.getMessage(), id, hasId);
        }
    }

    private Object dispatch(Map<String, Object> dict, List<Runnable> afterResponse) throws CommandException {
        String execKey = null;
        for (Map.Entry<String, Object> member : dict.entrySet()) {
            String key = member.getKey();
            if (key.equals("execute") || (key.equals("exec-oob") && oobEnabled)) {
                if (!(member.getValue() instanceof String)) {
                    throw new CommandException("QMP input member '" + key + "' must be a string");
                }
                if (execKey != null) {
                    throw new CommandException("QMP input member '" + key + "' clashes with '" + execKey + "'");
                }
                execKey = key;
            } else if (key.equals("arguments")) {
                if (!(member.getValue() instanceof Map)) {
                    throw new CommandException("QMP input member 'arguments' must be an object");
                }
            } else if (!key.equals("id")) {
                throw new CommandException("QMP input member '" + key + "' is unexpected");
            }
        }
        if (execKey == null) {
            throw new CommandException("QMP input lacks member 'execute'");
        }
        String command = (String) dict.get(execKey);
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = (Map<String, Object>) dict.getOrDefault("arguments", Map.of());
        if (!negotiated) {
            if (!command.equals("qmp_capabilities")) {
                throw new CommandException(ErrorClass.COMMAND_NOT_FOUND,
                        "Expecting capabilities negotiation with 'qmp_capabilities'");
            }
            return negotiate(arguments);
        }
        if (execKey.equals("exec-oob")) {
            Optional<CommandInfo> info = registry.describe(command);
            if (info.isPresent() && !info.get().allowOob()) {
                throw new CommandException("The command " + command + " does not support OOB");
            }
        }
        return registry.execute(command, arguments, new Context(afterResponse));
    }

    private Object negotiate(Map<String, Object> arguments) throws CommandException {
        Map<String, Object> checked = registry.checkArguments("qmp_capabilities", arguments);
        List<String> unavailable = new ArrayList<>();
        boolean oob = false;
        if (checked.get("enable") instanceof List<?> enable) {
            for (Object capability : enable) {
                if (capability.equals(OOB) && offerOob) {
                    oob = true;
                } else if (!unavailable.contains(String.valueOf(capability))) {
                    unavailable.add(String.valueOf(capability));
                }
            }
        }
        if (!unavailable.isEmpty()) {
            throw new CommandException("Capability " + String.join(", ", unavailable) + " not available");
        }
        oobEnabled = oob;
        negotiated = true;
        return null;
    }

    /** What a command learns about a QMP call. */
    private final class Context implements CommandContext {
        private final List<Runnable> afterResponse;

        Context(List<Runnable> afterResponse) {
            this.afterResponse = afterResponse;
        }

        @Override
        public String machine() {
            return machine;
        }

        @Override
        public String frontEnd() {
            return QMP;
        }

        @Override
        public void afterResponse(Runnable action) {
            afterResponse.add(action);
        }
    }
}
