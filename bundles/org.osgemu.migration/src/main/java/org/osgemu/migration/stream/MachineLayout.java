package org.osgemu.migration.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgemu.api.device.Device;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;

/**
 * The payload of the configuration section: what a machine must be to take the stream (machine
 * type, number of harts, page size, RAM blocks, and each device with where it sits on the board).
 * A loader compares the stream's layout with its own machine's before it reads any section, and
 * refuses a difference naming it.
 *
 * @param machineType board type, e.g. {@code virt}
 * @param harts number of CPUs
 * @param pageSize size of the RAM pages in the stream
 * @param blocks the RAM blocks, by name, in the machine's order
 * @param devices the devices, sorted by id; empty in a version 1 stream, which did not record them
 */
public record MachineLayout(String machineType, int harts, int pageSize, List<Block> blocks,
                            Optional<List<DeviceSite>> devices) {

    /** One RAM block: its name and size in bytes. */
    public record Block(String name, long size) {
        public Block {
            Objects.requireNonNull(name, "name");
        }
    }

    /** More blocks than any machine has; keeps a corrupt count from allocating much. */
    private static final int MAX_BLOCKS = 4096;
    /** More devices than any machine has; keeps a corrupt count from allocating much. */
    private static final int MAX_DEVICES = 4096;

    public MachineLayout {
        Objects.requireNonNull(machineType, "machineType");
        blocks = List.copyOf(blocks);
        devices = Objects.requireNonNull(devices, "devices").map(List::copyOf);
    }

    /** The layout of {@code machine} as it is now. */
    public static MachineLayout of(MachineControl machine) {
        List<Block> blocks = new ArrayList<>();
        for (RamBlock block : machine.ramBlocks()) {
            blocks.add(new Block(block.name(), block.size()));
        }
        List<DeviceSite> devices = machine.devices().stream()
                .sorted(Comparator.comparing(Device::id))
                .map(device -> DeviceSite.of(machine, device))
                .toList();
        return new MachineLayout(machine.machineType(), machine.cpus().size(), RamBlock.PAGE_SIZE, blocks,
                Optional.of(devices));
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeName(out, machineType);
            out.writeInt(harts);
            out.writeInt(pageSize);
            out.writeInt(blocks.size());
            for (Block b : blocks) {
                writeName(out, b.name());
                out.writeLong(b.size());
            }
            List<DeviceSite> sites = devices.orElseThrow(() -> new IllegalStateException(
                    "configuration: a layout read from a version 1 stream has no devices to write"));
            out.writeInt(sites.size());
            for (DeviceSite site : sites) {
                site.encode(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes the configuration payload of a stream of format {@code streamVersion}; a malformed
     * one is refused naming the field.
     */
    public static MachineLayout decode(ByteBuffer payload, int streamVersion) throws MigrationException {
        try {
            PayloadReader in = new PayloadReader(payload);
            String type = in.name("machine-type");
            int harts = in.u32("harts");
            int pageSize = in.u32("page-size");
            int count = in.u32("block-count");
            if (count > MAX_BLOCKS) {
                throw new MigrationException("field block-count: " + count + " RAM blocks, more than the " + MAX_BLOCKS + " a stream may hold");
            }
            List<Block> blocks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                blocks.add(new Block(in.name("block-name"), in.u64("block-size")));
            }
            Optional<List<DeviceSite>> devices = Optional.empty();
            if (streamVersion >= 2) {
                int deviceCount = in.u32("device-count");
                if (deviceCount > MAX_DEVICES) {
                    throw new MigrationException("field device-count: " + deviceCount + " devices, more than the "
                            + MAX_DEVICES + " a stream may hold");
                }
                List<DeviceSite> sites = new ArrayList<>();
                for (int i = 0; i < deviceCount; i++) {
                    sites.add(DeviceSite.decode(in));
                }
                devices = Optional.of(sites);
            }
            in.expectEnd();
            return new MachineLayout(type, harts, pageSize, blocks, devices);
        } catch (MigrationException e) {
            throw new MigrationException("configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses this (the stream's) layout unless {@code here}, the loading machine's, is the same;
     * the message says what differs, the stream's value first.
     */
    public void checkFits(MachineLayout here) throws MigrationException {
        if (!machineType.equals(here.machineType)) {
            throw refusal("stream is for a '" + machineType + "' machine, this machine is '" + here.machineType + "'");
        }
        if (harts != here.harts) {
            throw refusal("stream is for " + harts + " hart(s), this machine has " + here.harts);
        }
        if (pageSize != here.pageSize) {
            throw refusal("stream has pages of " + pageSize + " bytes, this build uses " + here.pageSize);
        }
        Map<String, Long> ours = byName(here.blocks);
        for (Block b : blocks) {
            Long size = ours.get(b.name());
            if (size == null) {
                throw refusal("stream has RAM " + b.name() + " of " + StreamFormat.size(b.size()) + ", this machine has no such block");
            }
            if (size != b.size()) {
                throw refusal("stream is for RAM " + b.name() + " of " + StreamFormat.size(b.size()) + ", this machine has "
                        + StreamFormat.size(size));
            }
        }
        Map<String, Long> theirs = byName(blocks);
        for (Block b : here.blocks) {
            if (!theirs.containsKey(b.name())) {
                throw refusal("this machine has RAM " + b.name() + " of " + StreamFormat.size(b.size()) + ", the stream has none");
            }
        }
        if (devices.isPresent() && here.devices.isPresent()) {
            checkDevices(devices.get(), here.devices.get());
        }
    }

    /**
     * Refuses unless both machines have the same devices (by id), of the same types, at the same
     * places: a device on another slot would answer the guest's driver of another one.
     */
    private static void checkDevices(List<DeviceSite> stream, List<DeviceSite> machine) throws MigrationException {
        Map<String, DeviceSite> ours = byId(machine);
        Map<String, DeviceSite> theirs = new LinkedHashMap<>();
        for (DeviceSite site : stream) {
            if (theirs.putIfAbsent(site.id(), site) != null) {
                throw refusal("the stream lists device id '" + site.id() + "' twice");
            }
        }
        for (DeviceSite site : stream) {
            DeviceSite here = ours.get(site.id());
            if (here == null) {
                throw refusal("stream has " + site.describe() + " " + site.describePlace(false) + ", this machine has no such device");
            }
            if (!here.type().equals(site.type())) {
                throw refusal("device '" + site.id() + "' is a " + site.type() + " in the stream, a " + here.type() + " here");
            }
            if (!here.samePlace(site)) {
                boolean sizes = site.window().isPresent() && here.window().isPresent()
                        && site.window().get().size() != here.window().get().size();
                throw refusal(site.describe() + ": " + site.describePlace(sizes) + " in the stream, "
                        + here.describePlace(sizes) + " here");
            }
        }
        for (DeviceSite here : machine) {
            if (!theirs.containsKey(here.id())) {
                throw refusal("this machine has " + here.describe() + " " + here.describePlace(false) + ", the stream has none");
            }
        }
    }

    private static Map<String, DeviceSite> byId(List<DeviceSite> sites) {
        Map<String, DeviceSite> map = new LinkedHashMap<>();
        sites.forEach(s -> map.put(s.id(), s));
        return map;
    }

    private static MigrationException refusal(String what) {
        return new MigrationException("configuration: " + what);
    }

    private static Map<String, Long> byName(List<Block> blocks) {
        Map<String, Long> map = new LinkedHashMap<>();
        blocks.forEach(b -> map.put(b.name(), b.size()));
        return map;
    }

    static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > StreamFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("configuration: name '" + name + "' is longer than "
                    + StreamFormat.MAX_NAME_BYTES + " bytes of UTF-8");
        }
        out.writeByte(bytes.length);
        out.write(bytes);
    }
}
