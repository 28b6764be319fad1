package org.osgemu.api.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node of the guest memory tree, after QEMU's {@code MemoryRegion}: RAM, ROM, MMIO, an alias
 * of part of another region, or a container of subregions placed at offsets with priorities.
 *
 * <p>Where subregions overlap, the one with the higher priority wins; at equal priority the one
 * added later wins (as in QEMU). Any change to the tree (subregion added or removed, region
 * enabled or disabled) is reported to the listeners of every region above it, so address
 * spaces can rebuild their flat views. Structure changes are synchronized on the region.
 */
public final class MemoryRegion {

    /** What a region is. */
    public enum Kind { RAM, ROM, MMIO, ALIAS, CONTAINER }

    /** A subregion placed in a container. */
    public record Subregion(long offset, int priority, MemoryRegion region, long sequence) {}

    private static final Comparator<Subregion> ORDER =
            Comparator.comparingInt(Subregion::priority).reversed()
                    .thenComparing(Comparator.comparingLong(Subregion::sequence).reversed());

    private final String name;
    private final Kind kind;
    private final long size;
    private final MmioHandler handler;
    private final AccessRules rules;
    private final RamBlock ram;
    private final MemoryRegion aliasTarget;
    private final long aliasOffset;
    private final List<Subregion> subregions = new ArrayList<>();
    private final List<MemoryRegion> referrers = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enabled = true;
    private long sequence;

    private MemoryRegion(String name, Kind kind, long size, MmioHandler handler, AccessRules rules,
                         RamBlock ram, MemoryRegion aliasTarget, long aliasOffset) {
        this.name = Objects.requireNonNull(name, "name");
        if (size <= 0) {
            throw new IllegalArgumentException("memory region " + name + ": size must be positive, not " + size);
        }
        this.kind = kind;
        this.size = size;
        this.handler = handler;
        this.rules = rules;
        this.ram = ram;
        this.aliasTarget = aliasTarget;
        this.aliasOffset = aliasOffset;
    }

    /** RAM backed by {@code block}, covering the whole block. */
    public static MemoryRegion ram(String name, RamBlock block) {
        return new MemoryRegion(name, Kind.RAM, block.size(), null, AccessRules.ANY, block, null, 0);
    }

    /** ROM backed by {@code block}: the guest reads it, writes are bus errors, loaders fill it. */
    public static MemoryRegion rom(String name, RamBlock block) {
        return new MemoryRegion(name, Kind.ROM, block.size(), null, AccessRules.ANY, block, null, 0);
    }

    /** An MMIO region of {@code size} bytes served by {@code handler} under {@code rules}. */
    public static MemoryRegion mmio(String name, long size, MmioHandler handler, AccessRules rules) {
        return new MemoryRegion(name, Kind.MMIO, size, Objects.requireNonNull(handler, "handler"),
                Objects.requireNonNull(rules, "rules"), null, null, 0);
    }

    /** {@code size} bytes of {@code target} from {@code offset} on, visible wherever this alias is placed. */
    public static MemoryRegion alias(String name, MemoryRegion target, long offset, long size) {
        if (offset < 0 || Long.compareUnsigned(offset + size, target.size) > 0) {
            throw new IllegalArgumentException("alias " + name + ": [0x" + Long.toHexString(offset) + ", +0x"
                    + Long.toHexString(size) + ") is outside " + target.name);
        }
        MemoryRegion alias = new MemoryRegion(name, Kind.ALIAS, size, null, AccessRules.ANY, null, target, offset);
        target.referrers.add(alias);
        return alias;
    }

    /** An empty container of {@code size} bytes (use {@code -1L} for the whole 64-bit space). */
    public static MemoryRegion container(String name, long size) {
        return new MemoryRegion(name, Kind.CONTAINER, size == -1L ? Long.MAX_VALUE : size, null,
                AccessRules.ANY, null, null, 0);
    }

    public String name() { return name; }
    public Kind kind() { return kind; }
    /** Size in bytes. */
    public long size() { return size; }
    /** The MMIO handler, or null for other kinds. */
    public MmioHandler handler() { return handler; }
    /** Access rules (MMIO); {@link AccessRules#ANY} for other kinds. */
    public AccessRules rules() { return rules; }
    /** The backing block of RAM and ROM regions, else null. */
    public RamBlock ramBlock() { return ram; }
    /** The region an alias shows, else null. */
    public MemoryRegion aliasTarget() { return aliasTarget; }
    /** Offset in {@link #aliasTarget()} where the alias starts. */
    public long aliasOffset() { return aliasOffset; }
    public boolean isEnabled() { return enabled; }

    /** Places {@code region} at {@code offset} with priority 0. */
    public MemoryRegion addSubregion(long offset, MemoryRegion region) {
        return addSubregion(offset, region, 0);
    }

    /** Places {@code region} at {@code offset} with {@code priority}; returns this container. */
    public MemoryRegion addSubregion(long offset, MemoryRegion region, int priority) {
        if (kind != Kind.CONTAINER) {
            throw new IllegalStateException("memory region " + name + " is " + kind + ", not a container");
        }
        if (offset < 0 || Long.compareUnsigned(offset, size) >= 0 || Long.compareUnsigned(region.size, size - offset) > 0) {
            throw new IllegalArgumentException(String.format("subregion %s at 0x%x (size 0x%x) does not fit in %s (size 0x%x)",
                    region.name, offset, region.size, name, size));
        }
        synchronized (this) {
            for (Subregion s : subregions) {
                if (s.region == region) {
                    throw new IllegalStateException("memory region " + region.name + " is already in " + name);
                }
            }
            subregions.add(new Subregion(offset, priority, region, sequence++));
            subregions.sort(ORDER);
        }
        region.referrers.add(this);
        changed();
        return this;
    }

    /** Removes {@code region} from this container; no effect when it is not there. */
    public void removeSubregion(MemoryRegion region) {
        boolean removed;
        synchronized (this) {
            removed = subregions.removeIf(s -> s.region == region);
        }
        if (removed) {
            region.referrers.remove(this);
            changed();
        }
    }

    /** The subregions, highest priority (and, among equals, latest added) first. */
    public synchronized List<Subregion> subregions() {
        return List.copyOf(subregions);
    }

    /** Enables or disables this region: a disabled region is absent from every flat view. */
    public void setEnabled(boolean enabled) {
        if (this.enabled != enabled) {
            this.enabled = enabled;
            changed();
        }
    }

    /** Calls {@code listener} whenever this region or anything below it changes. */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void changed() {
        changed(new ArrayList<>());
    }

    private void changed(List<MemoryRegion> seen) {
        if (seen.contains(this)) {
            return;
        }
        seen.add(this);
        for (Runnable l : listeners) {
            l.run();
        }
        for (MemoryRegion r : referrers) {
            r.changed(seen);
        }
    }

    @Override
    public String toString() {
        return "MemoryRegion[" + name + ", " + kind + ", size=0x" + Long.toHexString(size) + "]";
    }
}
