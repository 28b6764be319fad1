package org.osgemu.migration.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;
import org.osgemu.api.migration.MigrationHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.Stateless;
import org.osgemu.migration.stream.SectionHeader;

/**
 * The handlers that make up one machine's state, in priority order: the virtual clock, each RAM
 * block, each hart, each device. A device that is a {@link MigrationHandler} itself (a live
 * device, such as a vfio one) takes part as it is; a {@link Migratable} device gets a VMState
 * handler; a {@link Stateless} device has nothing to send and is left out. Any other device
 * blocks the migration (QEMU's migration blocker): its state would be lost without a word.
 *
 * <p>Instance ids are what tells two handlers with the same id string apart: the hart index for
 * CPUs, the block's position for RAM, and for devices of one kind their position when sorted by
 * device id, so that the numbering does not depend on the order in which devices came up.
 */
public final class HandlerSet {

    /** Loaded first: devices arm timers against it. */
    static final int PRIORITY_CLOCK = 30;
    static final int PRIORITY_RAM = 20;
    static final int PRIORITY_CPU = 10;

    private final List<MigrationHandler> ordered;
    private final Map<String, MigrationHandler> byKey = new HashMap<>();
    private final GlobalStateHandler globalState;
    private final boolean withGlobalState;

    private HandlerSet(List<MigrationHandler> handlers, GlobalStateHandler globalState, boolean withGlobalState) {
        List<MigrationHandler> sorted = new ArrayList<>(handlers);
        sorted.sort(Comparator.comparingInt(MigrationHandler::priority).reversed()); // stable: kind order kept
        this.ordered = List.copyOf(sorted);
        this.globalState = globalState;
        this.withGlobalState = withGlobalState;
    }

    /** The handlers of {@code machine}, counting into a progress nobody reads; the stream has no global state. */
    public static HandlerSet of(MachineControl machine) throws MigrationException {
        return of(machine, new MigrationProgress(), false);
    }

    /**
     * The handlers of {@code machine}; refuses a machine part of which cannot migrate, naming it.
     *
     * @param progress where the RAM handlers count the pages they send
     * @param withGlobalState whether a saved stream carries the source's run state (a live migration's
     *                        does; a snapshot of a paused machine does not); a loaded one may carry it either way
     */
    public static HandlerSet of(MachineControl machine, MigrationProgress progress, boolean withGlobalState)
            throws MigrationException {
        List<MigrationHandler> handlers = new ArrayList<>();
        handlers.add(new VirtualClockHandler(machine, PRIORITY_CLOCK));
        List<RamBlock> blocks = machine.ramBlocks();
        for (int i = 0; i < blocks.size(); i++) {
            handlers.add(new RamBlockHandler(blocks.get(i), i, PRIORITY_RAM, progress, machine::flushVcpuStores));
        }
        for (Cpu cpu : machine.cpus()) {
            if (!(cpu instanceof Migratable<?> migratable)) {
                throw new MigrationException("machine '" + machine.name() + "': hart " + cpu.index()
                        + " cannot migrate: its CPU model (" + cpu.getClass().getSimpleName() + ") does not describe its state");
            }
            handlers.add(VMStateHandler.of(migratable, "cpu" + cpu.index(), cpu.index(), PRIORITY_CPU));
        }
        handlers.addAll(deviceHandlers(machine));
        GlobalStateHandler globalState = new GlobalStateHandler();
        handlers.add(globalState);
        HandlerSet set = new HandlerSet(handlers, globalState, withGlobalState);
        for (MigrationHandler h : set.ordered) {
            try {
                new SectionHeader(0, h.idString(), h.instanceId(), h.version(), h.label());
            } catch (IllegalArgumentException e) {
                throw new MigrationException("machine '" + machine.name() + "': " + e.getMessage(), e);
            }
            MigrationHandler other = set.byKey.putIfAbsent(key(h.idString(), h.instanceId()), h);
            if (other != null) {
                throw new MigrationException("machine '" + machine.name() + "': " + describe(other) + " and " + describe(h)
                        + " both claim instance " + h.instanceId() + " of section '" + h.idString() + "'");
            }
        }
        return set;
    }

    private static List<MigrationHandler> deviceHandlers(MachineControl machine) throws MigrationException {
        List<Device> sorted = new ArrayList<>(machine.devices());
        sorted.sort(Comparator.comparing(Device::id));
        List<MigrationHandler> handlers = new ArrayList<>();
        Map<String, Integer> instances = new HashMap<>();
        for (Device device : sorted) {
            if (device instanceof MigrationHandler own) {
                handlers.add(own);
            } else if (device instanceof Migratable<?> migratable) {
                String idString = migratable.vmstate().name();
                int instance = instances.merge(idString, 1, Integer::sum) - 1;
                handlers.add(VMStateHandler.of(migratable, device.id(), instance, MigrationHandler.PRIORITY_DEFAULT));
            } else if (!(device instanceof Stateless)) {
                throw new MigrationException("machine '" + machine.name() + "': device '" + device.id() + "' ("
                        + device.type() + ") cannot migrate: it neither describes its state (Migratable) nor declares"
                        + " that it has none (Stateless)");
            }
        }
        handlers.sort(Comparator.comparing(MigrationHandler::idString).thenComparing(MigrationHandler::instanceId));
        return handlers;
    }

    /** Every handler, highest priority first: the order of completing a load. */
    public List<MigrationHandler> ordered() {
        return ordered;
    }

    /** The handlers a save writes, in order: all of them, the global state only when asked for. */
    List<MigrationHandler> saved() {
        return withGlobalState ? ordered : ordered.stream().filter(h -> h != globalState).toList();
    }

    /** The live handlers, in order. */
    List<MigrationHandler> live() {
        return ordered.stream().filter(MigrationHandler::isLive).toList();
    }

    /** Whether a stream may lack {@code handler}'s sections (the global state). */
    boolean optional(MigrationHandler handler) {
        return handler == globalState;
    }

    GlobalStateHandler globalState() {
        return globalState;
    }

    /** Bytes of guest RAM the machine has, for query-migrate's ram.total. */
    long ramBytes() {
        return ordered.stream().filter(h -> h instanceof RamBlockHandler).mapToLong(h -> ((RamBlockHandler) h).size()).sum();
    }

    /** Syncs the dirty bitmaps of the RAM blocks (one pass); returns the pages dirtied since the last pass. */
    long syncRam() {
        long dirtied = 0;
        for (MigrationHandler h : ordered) {
            if (h instanceof RamBlockHandler ram) {
                dirtied += ram.sync();
            }
        }
        return dirtied;
    }

    /** The handler for instance {@code instanceId} of {@code idString}, or null. */
    public MigrationHandler find(String idString, int instanceId) {
        return byKey.get(key(idString, instanceId));
    }

    /** How messages name a handler's section, e.g. {@code section 'clint' (clint0)}. */
    public static String describe(MigrationHandler handler) {
        return SectionHeader.describe(handler.idString(), handler.label());
    }

    private static String key(String idString, int instanceId) {
        return idString + '\0' + instanceId;
    }
}
