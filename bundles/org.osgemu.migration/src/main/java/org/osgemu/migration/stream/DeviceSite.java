package org.osgemu.migration.stream;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.migration.MigrationException;

/**
 * Where one device sits on the board, as the configuration section records it: its type and id,
 * the MMIO window it is mapped at and its interrupt numbers. A guest's drivers found the device
 * there (through the device tree), so a stream may only be loaded into a machine that has the
 * device in the same place; QEMU gets the same check by naming its sections after the bus path.
 *
 * @param type the device type as {@code -device} spells it
 * @param id the device id
 * @param window the MMIO window, or empty when the device is not on the memory map
 * @param irqs the interrupt numbers on the board's interrupt controller, or empty when the machine
 *             does not say (see {@link MachineControl#devicePlacement}); a present empty list is a
 *             device without interrupts
 */
public record DeviceSite(String type, String id, Optional<Window> window, Optional<List<Integer>> irqs) {

    /** An MMIO window: base address and size in bytes. */
    public record Window(long base, long size) {}

    /** Flag: a window (u64 base, u64 size) follows. */
    private static final int MAPPED = 0x01;
    /** Flag: the interrupt numbers (u8 count, u32 each) follow. */
    private static final int IRQS_KNOWN = 0x02;
    /** More interrupt lines than the one count byte holds are not recorded. */
    private static final int MAX_IRQS = 255;

    public DeviceSite {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(window, "window");
        irqs = Objects.requireNonNull(irqs, "irqs").map(List::copyOf);
    }

    /**
     * Where {@code device} sits on {@code machine}: the placement the machine reports, or else the
     * place of the device's region in the system memory, without interrupt numbers.
     */
    public static DeviceSite of(MachineControl machine, Device device) {
        Optional<DevicePlacement> placement = machine.devicePlacement(device);
        if (placement.isPresent()) {
            DevicePlacement p = placement.get();
            return new DeviceSite(device.type(), device.id(), Optional.of(new Window(p.base(), p.size())),
                    Optional.of(p.irqs()));
        }
        Optional<Window> window = Optional.empty();
        if (device instanceof PlatformDevice platform && platform.region() != null) {
            window = find(machine.memory().root(), 0, platform.region());
        }
        return new DeviceSite(device.type(), device.id(), window, Optional.empty());
    }

    /** Where {@code target} is mapped below {@code container}, which itself starts at {@code base}. */
    private static Optional<Window> find(MemoryRegion container, long base, MemoryRegion target) {
        for (MemoryRegion.Subregion sub : container.subregions()) {
            long at = base + sub.offset();
            if (sub.region() == target) {
                return Optional.of(new Window(at, target.size()));
            }
            if (sub.region().kind() == MemoryRegion.Kind.CONTAINER) {
                Optional<Window> inside = find(sub.region(), at, target);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    void encode(DataOutputStream out) throws IOException {
        MachineLayout.writeName(out, type);
        MachineLayout.writeName(out, id);
        boolean irqsFit = irqs.isPresent() && irqs.get().size() <= MAX_IRQS;
        out.writeByte((window.isPresent() ? MAPPED : 0) | (irqsFit ? IRQS_KNOWN : 0));
        if (window.isPresent()) {
            out.writeLong(window.get().base());
            out.writeLong(window.get().size());
        }
        if (irqsFit) {
            out.writeByte(irqs.get().size());
            for (int irq : irqs.get()) {
                out.writeInt(irq);
            }
        }
    }

    static DeviceSite decode(PayloadReader in) throws MigrationException {
        String type = in.name("device-type");
        String id = in.name("device-id");
        int flags = in.u8("device-flags");
        if ((flags & ~(MAPPED | IRQS_KNOWN)) != 0) {
            throw new MigrationException("field device-flags of device '" + id + "': unknown bits in 0x"
                    + Integer.toHexString(flags));
        }
        Optional<Window> window = Optional.empty();
        if ((flags & MAPPED) != 0) {
            window = Optional.of(new Window(in.u64("device-base"), in.u64("device-size")));
        }
        Optional<List<Integer>> irqs = Optional.empty();
        if ((flags & IRQS_KNOWN) != 0) {
            int count = in.u8("irq-count");
            List<Integer> numbers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                numbers.add(in.u32("irq"));
            }
            irqs = Optional.of(numbers);
        }
        return new DeviceSite(type, id, window, irqs);
    }

    /**
     * Whether the device sits at {@code other}'s place: the same window (or neither mapped) and,
     * when both say, the same interrupt numbers.
     */
    boolean samePlace(DeviceSite other) {
        if (!window.equals(other.window)) {
            return false;
        }
        return irqs.isEmpty() || other.irqs.isEmpty() || irqs.get().equals(other.irqs.get());
    }

    /**
     * The place for people: {@code at 0x10008000 irq 8}, {@code at 0x2000000},
     * {@code not on the memory map}; with {@code withSize} the window's size too.
     */
    String describePlace(boolean withSize) {
        StringBuilder s = new StringBuilder();
        if (window.isPresent()) {
            s.append("at 0x").append(Long.toHexString(window.get().base()));
            if (withSize) {
                s.append(" (0x").append(Long.toHexString(window.get().size())).append(" bytes)");
            }
        } else {
            s.append("not on the memory map");
        }
        if (irqs.isPresent() && !irqs.get().isEmpty()) {
            s.append(irqs.get().size() == 1 ? " irq " : " irqs ")
                    .append(irqs.get().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        return s.toString();
    }

    /** How messages name the device: {@code device virtio-blk-device 'blk0'}. */
    String describe() {
        return "device " + type + " '" + id + "'";
    }
}
