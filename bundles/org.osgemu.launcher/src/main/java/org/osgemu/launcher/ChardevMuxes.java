package org.osgemu.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The multiplexed chardevs of a command line ({@code -chardev ...,mux=on}, {@code -serial mon:stdio},
 * the {@code -nographic} default) and their users. QEMU shares one mux among its users; in osgemu
 * each user gets a front end of its own, a chardev with an id of its own: the serial port's is
 * {@code serial0} (the id the UART looks for), a monitor's {@code ID.monitorN}. At the end
 * {@link #plan} turns each mux {@code ID} into its base backend {@code ID-base} (QEMU's name for
 * it) and a {@value #MUX_PID} configuration listing the front ends, the serial console first so
 * that it has the terminal at the start.
 */
final class ChardevMuxes {

    static final String MUX_PID = "osgemu.chardev.mux";
    static final String MONITOR_PID = "osgemu.monitor.chardev";
    /** What QEMU calls the mux that {@code -serial mon:stdio} and {@code -nographic} make. */
    static final String COMPAT_MONITOR = "compat_monitor0";

    private final Set<String> muxes = new LinkedHashSet<>();
    private final Map<String, String> serialUser = new LinkedHashMap<>();
    private final Map<String, List<String>> monitorUsers = new LinkedHashMap<>();

    /** Records the {@code -chardev} {@code id} as a mux when its {@code mux=} is on. */
    void declare(String id, boolean mux) {
        if (mux) {
            muxes.add(id);
        }
    }

    boolean isMux(String id) {
        return muxes.contains(id);
    }

    /** {@code -serial chardev:ID} on a mux: the UART's front end. */
    void attachSerial(String id) {
        serialUser.put(id, "serial0");
    }

    /** {@code -mon chardev=ID}: a monitor on the mux; returns the id of its front end. */
    String attachMonitor(String id) {
        List<String> monitors = monitorUsers.computeIfAbsent(id, k -> new ArrayList<>());
        String frontEnd = id + ".monitor" + monitors.size();
        monitors.add(frontEnd);
        return frontEnd;
    }

    /** The monitor configuration for a front end made by {@link #attachMonitor}. */
    static LaunchPlan.Backend monitorServer(String serverId, String frontEnd, String option) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("id", serverId);
        props.put("chardev.target", "(id=" + frontEnd + ")");
        return new LaunchPlan.Backend(MONITOR_PID, props, option);
    }

    /** Replaces each used mux in {@code chardevs} by its base backend and its mux configuration. */
    void plan(Map<String, LaunchPlan.Backend> chardevs) {
        for (String id : muxes) {
            List<String> frontEnds = new ArrayList<>();
            if (serialUser.containsKey(id)) {
                frontEnds.add(serialUser.get(id));
            }
            frontEnds.addAll(monitorUsers.getOrDefault(id, List.of()));
            LaunchPlan.Backend declared = chardevs.remove(id);
            if (frontEnds.isEmpty()) {
                chardevs.put(id, declared); // nobody shares it: a plain backend does
                continue;
            }
            String baseId = id + "-base";
            Map<String, String> baseProps = new LinkedHashMap<>(declared.properties());
            baseProps.put("id", baseId);
            chardevs.put(baseId, new LaunchPlan.Backend(declared.pid(), baseProps, declared.option()));
            Map<String, String> muxProps = new LinkedHashMap<>();
            muxProps.put("id", id);
            muxProps.put("chardev.target", "(id=" + baseId + ")");
            muxProps.put("frontends", String.join(",", frontEnds));
            chardevs.put(id, new LaunchPlan.Backend(MUX_PID, muxProps, declared.option()));
        }
    }
}
