package org.osgemu.api.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.osgemu.api.memory.MmioHandler;

/**
 * A device's registers declared like a datasheet: name, offset, width, reset value, which bits
 * the guest may write, which are write-one-to-clear, and hooks for side effects. Register
 * arrays (one register per hart, per interrupt source) are one declaration with a count and a
 * stride. Serves as the region's {@link MmioHandler}: unmapped offsets and accesses wider than
 * a register are guest errors (logged, read as 0, writes dropped); narrower accesses read or
 * merge the addressed bytes.
 *
 * <pre>{@code
 * RegisterMap regs = RegisterMap.builder("sifive_test")
 *         .register("FINISHER", 0x0, 4).writeMask(0xFFFF_FFFFL).onWrite((i, v) -> finish(v)).add()
 *         .build();
 * }</pre>
 */
public final class RegisterMap implements MmioHandler {

    /** Computes a register's value at read time (status registers); {@code index} is the array index. */
    @FunctionalInterface
    public interface ReadHook {
        long read(int index);
    }

    /** Side effect of a write; {@code value} is the register's new stored value. */
    @FunctionalInterface
    public interface WriteHook {
        void written(int index, long value);
    }

    /**
     * Side effect of a write that needs the bits the guest wrote rather than the merged stored
     * value: registers whose value is computed (a running counter) or that act on each write
     * alone (a command register). Runs after any {@link WriteHook}.
     */
    @FunctionalInterface
    public interface WriteBitsHook {
        /** {@code bits} are the written bytes in register position; {@code mask} covers the bytes the access wrote. */
        void written(int index, long bits, long mask);
    }

    /** A declared register (or register array). */
    public record Register(String name, long offset, int width, int count, long stride, long resetValue,
                           long writeMask, long w1cMask, ReadHook readHook, WriteHook writeHook) {

        long end() {
            return offset + (count - 1) * stride + width;
        }
    }

    private final String device;
    private final Register[] registers;
    private final long[][] values;
    private final WriteBitsHook[] bitsHooks;
    private volatile GuestErrorLog log = GuestErrorLog.NONE;

    private RegisterMap(String device, List<Register> regs, Map<Register, WriteBitsHook> bitsHooks) {
        this.device = device;
        this.registers = regs.toArray(Register[]::new);
        this.values = new long[registers.length][];
        this.bitsHooks = new WriteBitsHook[registers.length];
        for (int i = 0; i < registers.length; i++) {
            values[i] = new long[registers[i].count];
            this.bitsHooks[i] = bitsHooks.get(registers[i]);
        }
        reset();
    }

    /** Starts a map for {@code device} (the name used in guest-error messages). */
    public static Builder builder(String device) {
        return new Builder(device);
    }

    /** Where guest mistakes go; set when the device is realized. */
    public void setLog(GuestErrorLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Sets every register to its reset value. */
    public synchronized void reset() {
        for (int i = 0; i < registers.length; i++) {
            Arrays.fill(values[i], registers[i].resetValue);
        }
    }

    /** Stored value of register {@code name} (element {@code index}). */
    public synchronized long get(String name, int index) {
        return values[find(name)][index];
    }

    public long get(String name) {
        return get(name, 0);
    }

    /** Sets the stored value (device-side update, no hooks, no masks). */
    public synchronized void set(String name, int index, long value) {
        int r = find(name);
        values[r][index] = truncate(value, registers[r].width);
    }

    public void set(String name, long value) {
        set(name, 0, value);
    }

    /** All stored values of {@code name}, for migration. */
    public synchronized long[] getAll(String name) {
        return values[find(name)].clone();
    }

    /** Replaces all stored values of {@code name} (restoring migrated state). */
    public synchronized void setAll(String name, long[] v) {
        int r = find(name);
        if (v.length != values[r].length) {
            throw new IllegalArgumentException(device + "." + name + ": " + v.length + " values for "
                    + values[r].length + " registers");
        }
        for (int i = 0; i < v.length; i++) {
            values[r][i] = truncate(v[i], registers[r].width);
        }
    }

    @Override
    public long read(long offset, int size) {
        ReadHook hook;
        int index;
        int shift;
        Register reg;
        long stored;
        synchronized (this) {
            int r = locate(offset);
            if (r < 0) {
                log.guestError("%s: read of %d byte(s) at unmapped offset 0x%x", device, size, offset);
                return 0;
            }
            reg = registers[r];
            long within = offset - reg.offset;
            index = (int) (within / reg.stride);
            long byteInReg = within - index * reg.stride;
            if (byteInReg + size > reg.width) {
                log.guestError("%s: read of %d byte(s) at 0x%x crosses register %s", device, size, offset, reg.name);
                return 0;
            }
            shift = (int) byteInReg * 8;
            hook = reg.readHook;
            stored = values[r][index];
        }
        long v = hook != null ? hook.read(index) : stored;
        return truncate(v >>> shift, size);
    }

    @Override
    public void write(long offset, long value, int size) {
        WriteHook hook;
        WriteBitsHook bitsHook;
        int index;
        long newValue;
        long writtenBits;
        long writtenMask;
        synchronized (this) {
            int r = locate(offset);
            if (r < 0) {
                log.guestError("%s: write of 0x%x (%d byte(s)) at unmapped offset 0x%x", device, value, size, offset);
                return;
            }
            Register reg = registers[r];
            long within = offset - reg.offset;
            index = (int) (within / reg.stride);
            long byteInReg = within - index * reg.stride;
            if (byteInReg + size > reg.width) {
                log.guestError("%s: write of %d byte(s) at 0x%x crosses register %s", device, size, offset, reg.name);
                return;
            }
            int shift = (int) byteInReg * 8;
            long laneMask = truncate(-1L, size) << shift;
            long incoming = (truncate(value, size) << shift) & laneMask;
            long old = values[r][index];
            long writable = reg.writeMask & laneMask;
            newValue = (old & ~writable) | (incoming & writable);
            long clear = incoming & reg.w1cMask;
            newValue &= ~clear;
            if (reg.writeMask == 0 && reg.w1cMask == 0 && reg.writeHook == null && bitsHooks[r] == null) {
                log.guestError("%s: write of 0x%x to read-only register %s", device, value, reg.name);
                return;
            }
            values[r][index] = truncate(newValue, reg.width);
            hook = reg.writeHook;
            bitsHook = bitsHooks[r];
            writtenBits = incoming;
            writtenMask = laneMask;
        }
        if (hook != null) {
            hook.written(index, newValue);
        }
        if (bitsHook != null) {
            bitsHook.written(index, writtenBits, writtenMask);
        }
    }

    /** The declared registers in offset order. */
    public List<Register> registers() {
        return List.of(registers);
    }

    private int find(String name) {
        for (int i = 0; i < registers.length; i++) {
            if (registers[i].name.equals(name)) return i;
        }
        throw new IllegalArgumentException(device + ": no register named " + name);
    }

    private int locate(long offset) {
        int lo = 0;
        int hi = registers.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Register reg = registers[mid];
            if (offset < reg.offset) {
                hi = mid - 1;
            } else if (offset >= reg.end()) {
                lo = mid + 1;
            } else {
                long within = offset - reg.offset;
                return within % reg.stride < reg.width ? mid : -1;
            }
        }
        return -1;
    }

    private static long truncate(long v, int size) {
        return size >= 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** Collects register declarations. */
    public static final class Builder {
        private final String device;
        private final List<Register> regs = new ArrayList<>();
        private final Map<Register, WriteBitsHook> bitsHooks = new IdentityHashMap<>();

        private Builder(String device) {
            this.device = Objects.requireNonNull(device, "device");
        }

        /** Declares register {@code name} of {@code width} (1, 2, 4, 8) bytes at {@code offset}. */
        public RegisterBuilder register(String name, long offset, int width) {
            return new RegisterBuilder(this, name, offset, width);
        }

        public RegisterMap build() {
            // registers are found by name for get/set and migration: a second one would be unreachable
            Set<String> names = new HashSet<>();
            for (Register r : regs) {
                if (!names.add(r.name)) {
                    throw new IllegalArgumentException(device + ": register " + r.name + " is declared twice");
                }
            }
            regs.sort(Comparator.comparingLong(Register::offset));
            for (int i = 1; i < regs.size(); i++) {
                Register a = regs.get(i - 1);
                Register b = regs.get(i);
                if (b.offset < a.end()) {
                    throw new IllegalArgumentException(device + ": registers " + a.name + " and " + b.name + " overlap");
                }
            }
            return new RegisterMap(device, regs, bitsHooks);
        }
    }

    /** One register declaration; {@link #add()} returns to the map builder. */
    public static final class RegisterBuilder {
        private final Builder parent;
        private final String name;
        private final long offset;
        private final int width;
        private int count = 1;
        private long stride;
        private long resetValue;
        private long writeMask;
        private long w1cMask;
        private ReadHook readHook;
        private WriteHook writeHook;
        private WriteBitsHook writeBitsHook;

        private RegisterBuilder(Builder parent, String name, long offset, int width) {
            if (width != 1 && width != 2 && width != 4 && width != 8) {
                throw new IllegalArgumentException(parent.device + "." + name + ": width must be 1, 2, 4 or 8");
            }
            this.parent = parent;
            this.name = name;
            this.offset = offset;
            this.width = width;
            this.stride = width;
            this.writeMask = 0;
        }

        /** Repeats the register {@code count} times, {@code stride} bytes apart. */
        public RegisterBuilder array(int count, long stride) {
            if (count < 1 || stride < width) {
                throw new IllegalArgumentException(parent.device + "." + name + ": bad array " + count + " x " + stride);
            }
            this.count = count;
            this.stride = stride;
            return this;
        }

        public RegisterBuilder reset(long value) { this.resetValue = value; return this; }
        /** Bits the guest may write (default: none, a read-only register). */
        public RegisterBuilder writeMask(long mask) { this.writeMask = mask; return this; }
        /** All bits writable. */
        public RegisterBuilder readWrite() { this.writeMask = -1L; return this; }
        /** Bits cleared by writing one. */
        public RegisterBuilder w1c(long mask) { this.w1cMask = mask; return this; }
        public RegisterBuilder onRead(ReadHook hook) { this.readHook = hook; return this; }
        public RegisterBuilder onWrite(WriteHook hook) { this.writeHook = hook; return this; }
        /** Hook given the written bits and their byte mask; makes the register writable even with no write mask. */
        public RegisterBuilder onWriteBits(WriteBitsHook hook) { this.writeBitsHook = hook; return this; }

        public Builder add() {
            Register reg = new Register(name, offset, width, count, stride, resetValue, writeMask, w1cMask,
                    readHook, writeHook);
            parent.regs.add(reg);
            if (writeBitsHook != null) {
                parent.bitsHooks.put(reg, writeBitsHook);
            }
            return parent;
        }
    }
}
