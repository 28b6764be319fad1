package org.osgemu.migration.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.memory.RamBlock;
import org.osgemu.api.migration.MigrationException;

/**
 * The payload of the configuration section: what a machine must be to take the stream (machine
 * type, number of harts, page size and RAM blocks). A loader compares the stream's layout with
 * its own machine's before it reads any section, and refuses a difference naming it.
 *
 * @param machineType board type, e.g. {@code virt}
 * @param harts number of CPUs
 * @param pageSize size of the RAM pages in the stream
 * @param blocks the RAM blocks, by name, in the machine's order
 */
public record MachineLayout(String machineType, int harts, int pageSize, List<Block> blocks) {

    /** One RAM block: its name and size in bytes. */
    public record Block(String name, long size) {
        public Block {
            Objects.requireNonNull(name, "name");
        }
    }

    /** More blocks than any machine has; keeps a corrupt count from allocating much. */
    private static final int MAX_BLOCKS = 4096;

    public MachineLayout {
        Objects.requireNonNull(machineType, "machineType");
        blocks = List.copyOf(blocks);
    }

    /** The layout of {@code machine} as it is now. */
    public static MachineLayout of(MachineControl machine) {
        List<Block> blocks = new ArrayList<>();
        for (RamBlock block : machine.ramBlocks()) {
            blocks.add(new Block(block.name(), block.size()));
        }
        return new MachineLayout(machine.machineType(), machine.cpus().size(), RamBlock.PAGE_SIZE, blocks);
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Decodes a configuration payload; a malformed one is refused naming the field. */
    public static MachineLayout decode(ByteBuffer payload) throws MigrationException {
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
            in.expectEnd();
            return new MachineLayout(type, harts, pageSize, blocks);
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
    }

    private static MigrationException refusal(String what) {
        return new MigrationException("configuration: " + what);
    }

    private static Map<String, Long> byName(List<Block> blocks) {
        Map<String, Long> map = new LinkedHashMap<>();
        blocks.forEach(b -> map.put(b.name(), b.size()));
        return map;
    }

    private static void writeName(DataOutputStream out, String name) throws IOException {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > StreamFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("configuration: name '" + name + "' is longer than "
                    + StreamFormat.MAX_NAME_BYTES + " bytes of UTF-8");
        }
        out.writeByte(bytes.length);
        out.write(bytes);
    }
}
