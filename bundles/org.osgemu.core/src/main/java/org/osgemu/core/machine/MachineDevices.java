package org.osgemu.core.machine;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.Quiescable;

/**
 * The devices of one machine, in the order they were added, and whether they may work: while
 * the machine does not run, every {@link Quiescable} device is quiesced. A new machine's devices
 * start quiesced (it has not run yet); {@link #resumeAll()} and {@link #quiesceAll()} switch them
 * all, and a device added later is brought to the current setting at once (hot-plug into a paused
 * machine quiesces it).
 *
 * <p>Order: resume in the order added, quiesce in the reverse order, as QEMU runs its VM state
 * change handlers (a device added after another may depend on it). A device that throws is
 * logged and the others still get their call. Thread-safe: one monitor serializes additions,
 * removals and the switches, so a device added during a stop is not missed.
 */
final class MachineDevices {

    private static final System.Logger LOG = System.getLogger(MachineDevices.class.getName());

    private final String machine;
    private final List<Device> devices = new ArrayList<>();
    private volatile List<Device> snapshot = List.of();
    private final Map<Device, DevicePlacement> placements = new IdentityHashMap<>();
    private boolean running;

    MachineDevices(String machine) {
        this.machine = Objects.requireNonNull(machine, "machine");
    }

    /** The devices in the order added. */
    List<Device> list() {
        return snapshot;
    }

    /** Adds {@code device}, quiescing it when the machine does not run. */
    synchronized void add(Device device) {
        add(device, null);
    }

    /**
     * Adds {@code device} placed by the board at {@code placement} ({@code null}: not placed by
     * the board), quiescing it when the machine does not run.
     */
    synchronized void add(Device device, DevicePlacement placement) {
        if (devices.contains(device)) {
            throw new IllegalArgumentException("device " + device.id() + " is already part of machine " + machine);
        }
        devices.add(device);
        snapshot = List.copyOf(devices);
        if (placement != null) {
            placements.put(device, placement);
        }
        if (!running && device instanceof Quiescable q) {
            call(device, "quiesce", q::quiesce);
        }
    }

    /** Removes {@code device}; it is left as it is (an unplugged device is unrealized next). */
    synchronized void remove(Device device) {
        if (devices.remove(device)) {
            snapshot = List.copyOf(devices);
        }
        placements.remove(device);
    }

    /** Where the board placed {@code device}, if it told. */
    synchronized Optional<DevicePlacement> placement(Device device) {
        return Optional.ofNullable(placements.get(device));
    }

    /** Quiesces every device, the last added first; nothing when they are quiesced already. */
    synchronized void quiesceAll() {
        if (!running) {
            return;
        }
        running = false;
        for (Device device : devices.reversed()) {
            if (device instanceof Quiescable q) {
                call(device, "quiesce", q::quiesce);
            }
        }
    }

    /** Resumes every device in the order added; nothing when they run already. */
    synchronized void resumeAll() {
        if (running) {
            return;
        }
        running = true;
        for (Device device : devices) {
            if (device instanceof Quiescable q) {
                call(device, "resume", q::resume);
            }
        }
    }

    private void call(Device device, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "machine " + machine + ": device " + device.id() + " (" + device.type()
                    + ") failed to " + what, e);
        }
    }
}
