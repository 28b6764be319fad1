package org.osgemu.device.plic;

import static org.osgemu.device.plic.PlicRegisters.MAX_CONTEXTS;
import static org.osgemu.device.plic.PlicRegisters.MAX_SOURCES;
import static org.osgemu.device.plic.PlicRegisters.MIP_MEIP;
import static org.osgemu.device.plic.PlicRegisters.MIP_SEIP;
import static org.osgemu.device.plic.PlicRegisters.PRIORITY_MASK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.InterruptController;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.MmioHandler;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * The SiFive PLIC ({@code plic}) of QEMU's {@code virt} board: level-triggered sources
 * ({@link #input(int)}) with a priority each, two contexts per hart (context 2h drives hart h's
 * {@code mip.MEIP}, context 2h+1 its {@code mip.SEIP}), per-context enables and threshold, and
 * claim/complete. A context's output is high while an enabled source is pending with a priority
 * above the context's threshold. Claim returns the highest such source (the lowest id among
 * equals) and clears its pending bit; until it is completed the source does not pend again;
 * completing it re-pends it if its line is still high. Outputs are recomputed on every change.
 *
 * <p>Not modelled: edge-triggered sources; a pending bit is not latched, it follows the line
 * while the source is not claimed (as QEMU does), so a line dropped before the claim withdraws
 * the request. Completions naming a source not enabled for the context, or not claimed, are
 * ignored (the specification allows it); ids outside the sources are logged as guest errors.
 *
 * <p>Locking: the device's monitor guards the gateway bits and the routing; outputs to the harts
 * are driven under it (lock order: a device, then the PLIC, then the CPU).
 */
public class PlicDevice implements PlatformDevice, InterruptController, Migratable<PlicState> {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "plic";

    /**
     * What a realized PLIC is connected to, and its per-context state, sized by the hart count.
     * The arrays are guarded by the device's monitor.
     */
    private record Wiring(RegisterMap registers, int contexts, IrqLine[] outputs, GuestErrorLog log,
                          int[] enable, int[] threshold) {
    }

    private final String id;
    private final int sources;
    private final int words;
    private final MemoryRegion region;
    private volatile Wiring wiring;

    // Guarded by this: gateway state, one bit per source, and the source priorities.
    private final int[] level;
    private final int[] pending;
    private final int[] claimed;
    private final int[] priority;

    /**
     * A PLIC named {@code id} with {@code sources} sources counting the nonexistent source 0 (QEMU's
     * {@code virt} has 96: inputs 1..95). Its contexts exist once {@link #realize realized}.
     */
    public PlicDevice(String id, int sources) {
        this.id = Objects.requireNonNull(id, "id");
        if (sources < 2 || sources > MAX_SOURCES) {
            throw new IllegalArgumentException(TYPE + " " + id + ": num-sources " + sources + " is outside 2.." + MAX_SOURCES);
        }
        this.sources = sources;
        this.words = PlicRegisters.words(sources);
        this.level = new int[words];
        this.pending = new int[words];
        this.claimed = new int[words];
        this.priority = new int[sources];
        this.region = MemoryRegion.mmio(TYPE + "." + id, PlicRegisters.SIZE, new Window(), AccessRules.sizes(4, 4));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public MemoryRegion region() {
        return region;
    }

    /** Input {@code source} (1..{@link #inputCount()}), driven by a device's interrupt line. */
    @Override
    public IrqLine input(int source) {
        if (source < 1 || source >= sources) {
            throw new IllegalArgumentException(TYPE + " " + id + ": no interrupt source " + source + ", sources are 1.."
                    + (sources - 1));
        }
        return high -> sourceLevel(source, high);
    }

    /** The largest source number: inputs are 1..inputCount() (device tree {@code riscv,ndev}). */
    @Override
    public int inputCount() {
        return sources - 1;
    }

    @Override
    public void realize(DeviceContext context) {
        unrealize(); // realizing again (a re-plug) starts from fresh routing
        int harts = context.placement().hartCount();
        int contexts = 2 * harts;
        if (harts < 1 || contexts > MAX_CONTEXTS) {
            throw new IllegalArgumentException(TYPE + " " + id + ": " + harts + " harts, the PLIC serves 1.."
                    + MAX_CONTEXTS / 2);
        }
        RegisterMap registers = PlicRegisters.declare(sources, contexts, this);
        registers.setLog(context.log());
        IrqLine[] outputs = new IrqLine[contexts];
        for (int c = 0; c < contexts; c++) {
            outputs[c] = context.cpuInterrupt(c / 2, c % 2 == 0 ? MIP_MEIP : MIP_SEIP);
        }
        synchronized (this) {
            wiring = new Wiring(registers, contexts, outputs, context.log(), new int[contexts * words], new int[contexts]);
            updateOutputs();
        }
    }

    @Override
    public synchronized void unrealize() {
        Wiring w = wiring;
        if (w == null) {
            return;
        }
        for (IrqLine output : w.outputs) {
            output.lower();
        }
        w.registers.setLog(GuestErrorLog.NONE);
        wiring = null;
    }

    /** Clears claims and routing; pending bits follow the input lines again (the inputs are not ours to reset). */
    @Override
    public synchronized void reset() {
        for (int word = 0; word < words; word++) {
            claimed[word] = 0;
            pending[word] = level[word];
        }
        Arrays.fill(priority, 0);
        Wiring w = wiring;
        if (w != null) {
            Arrays.fill(w.enable, 0);
            Arrays.fill(w.threshold, 0);
            updateOutputs();
        }
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        List<Object> cells = new ArrayList<>();
        for (int h = 0; h < placement.hartCount(); h++) {
            String intc = DevicePlacement.cpuInterruptController(h);
            cells.addAll(List.of(intc, MIP_MEIP, intc, MIP_SEIP));
        }
        return FdtNode.at("plic", placement.base())
                .u32("#interrupt-cells", 1)
                .u32("#address-cells", 0)
                .string("compatible", "sifive,plic-1.0.0", "riscv,plic0")
                .flag("interrupt-controller")
                .cells("interrupts-extended", cells.toArray())
                .reg(placement.base(), placement.size())
                .u32("riscv,ndev", sources - 1)
                .label(DevicePlacement.INTERRUPT_CONTROLLER);
    }

    // ---- gateway and register behaviour ----

    private synchronized void sourceLevel(int source, boolean high) {
        setBit(level, source, high);
        if (!bit(claimed, source)) {
            setBit(pending, source, high);
        }
        updateOutputs();
    }

    synchronized long priority(int source) {
        return priority[source];
    }

    synchronized void writePriority(int source, long bits, long mask) {
        priority[source] = (int) merge(priority[source], bits, mask, PRIORITY_MASK);
        updateOutputs();
    }

    synchronized long enableWord(int context, int word) {
        Wiring w = wiring;
        return w == null ? 0 : Integer.toUnsignedLong(w.enable[context * words + word]);
    }

    synchronized void writeEnableWord(int context, int word, long bits, long mask) {
        Wiring w = wiring;
        if (w != null) {
            int i = context * words + word;
            w.enable[i] = (int) merge(w.enable[i], bits, mask, PlicRegisters.sourceMask(word, sources));
            updateOutputs();
        }
    }

    synchronized long threshold(int context) {
        Wiring w = wiring;
        return w == null ? 0 : w.threshold[context];
    }

    synchronized void writeThreshold(int context, long bits, long mask) {
        Wiring w = wiring;
        if (w != null) {
            w.threshold[context] = (int) merge(w.threshold[context], bits, mask, PRIORITY_MASK);
            updateOutputs();
        }
    }

    synchronized long pendingWord(int word) {
        return Integer.toUnsignedLong(pending[word]);
    }

    /** A read of {@code context}'s claim register. */
    synchronized long claim(int context) {
        Wiring w = wiring;
        if (w == null) {
            return 0;
        }
        int source = best(w, context);
        if (source != 0) {
            setBit(pending, source, false);
            setBit(claimed, source, true);
            updateOutputs();
        }
        return source;
    }

    /** A write of {@code value} to {@code context}'s claim/complete register. */
    synchronized void complete(int context, long value) {
        Wiring w = wiring;
        if (w == null) {
            return;
        }
        if (value < 1 || value >= sources) {
            w.log.guestError("%s %s: context %d completes source %d; sources are 1..%d", TYPE, id, context, value,
                    sources - 1);
            return;
        }
        int source = (int) value;
        if (!enabled(w, context, source) || !bit(claimed, source)) {
            return; // PLIC spec: a completion for a source not enabled for the context is ignored
        }
        setBit(claimed, source, false);
        if (bit(level, source)) {
            setBit(pending, source, true); // level-triggered: still asserted, so it asks again
        }
        updateOutputs();
    }

    // ---- migration ----

    @Override
    public VMStateDescription<PlicState> vmstate() {
        return PlicState.VMSTATE;
    }

    @Override
    public synchronized PlicState saveState() {
        Wiring w = realized();
        return new PlicState(priority, pending, claimed, level, w.enable, w.threshold);
    }

    @Override
    public synchronized void loadState(PlicState state) throws VMStateException {
        Wiring w = realized();
        int[] loadedPriority = state.priority();
        if (loadedPriority.length != sources) {
            throw new VMStateException(TYPE + ".priority: the state has " + loadedPriority.length + " sources, this PLIC "
                    + sources);
        }
        if (loadedPriority[0] != 0) {
            throw new VMStateException(TYPE + ".priority: source 0 has priority " + loadedPriority[0] + "; it does not exist");
        }
        int[] loadedThreshold = state.threshold();
        if (loadedThreshold.length != w.contexts) {
            throw new VMStateException(TYPE + ".threshold: the state has " + loadedThreshold.length
                    + " contexts, this machine " + w.contexts);
        }
        int[] loadedEnable = state.enable();
        checkSourceBits("pending", state.pending());
        checkSourceBits("claimed", state.claimed());
        checkSourceBits("level", state.level());
        checkSourceBits("enable", loadedEnable);

        System.arraycopy(loadedPriority, 0, priority, 0, sources);
        System.arraycopy(loadedEnable, 0, w.enable, 0, w.enable.length);
        System.arraycopy(loadedThreshold, 0, w.threshold, 0, w.contexts);
        System.arraycopy(state.pending(), 0, pending, 0, words);
        System.arraycopy(state.claimed(), 0, claimed, 0, words);
        System.arraycopy(state.level(), 0, level, 0, words);
        updateOutputs();
    }

    // ---- internals ----

    private Wiring realized() {
        Wiring w = wiring;
        if (w == null) {
            throw new IllegalStateException(TYPE + " " + id + " is not realized: its contexts are not known yet");
        }
        return w;
    }

    /** Bits for source 0 or beyond the last source cannot be set; a state that has them is refused. */
    private void checkSourceBits(String field, int[] bitWords) throws VMStateException {
        if (bitWords.length % words != 0) {
            throw new VMStateException(TYPE + "." + field + ": " + bitWords.length + " words, not a multiple of " + words);
        }
        for (int i = 0; i < bitWords.length; i++) {
            int word = i % words;
            long stray = Integer.toUnsignedLong(bitWords[i]) & ~PlicRegisters.sourceMask(word, sources);
            if (stray != 0) {
                throw new VMStateException(TYPE + "." + field + ": word " + i + " has bits 0x" + Long.toHexString(stray)
                        + " for sources that do not exist");
            }
        }
    }

    private void updateOutputs() {
        Wiring w = wiring;
        if (w == null) {
            return;
        }
        for (int c = 0; c < w.contexts; c++) {
            w.outputs[c].setLevel(best(w, c) != 0);
        }
    }

    /** The pending source enabled for {@code context} with the highest priority above its threshold, or 0. */
    private int best(Wiring w, int context) {
        int bestPriority = w.threshold[context];
        int best = 0;
        for (int word = 0; word < words; word++) {
            int candidates = pending[word] & w.enable[context * words + word];
            while (candidates != 0) {
                int source = word * 32 + Integer.numberOfTrailingZeros(candidates);
                if (priority[source] > bestPriority) { // strictly greater: among equals the lowest id stays
                    bestPriority = priority[source];
                    best = source;
                }
                candidates &= candidates - 1;
            }
        }
        return best;
    }

    private boolean enabled(Wiring w, int context, int source) {
        return bit(w.enable, context * words, source);
    }

    /** {@code old} with the bytes under {@code mask} replaced by {@code bits}, keeping only {@code writable} bits. */
    private static long merge(long old, long bits, long mask, long writable) {
        return ((old & ~mask) | (bits & mask)) & writable;
    }

    private static boolean bit(int[] set, int source) {
        return bit(set, 0, source);
    }

    private static boolean bit(int[] set, int firstWord, int source) {
        return (set[firstWord + source / 32] & (1 << (source % 32))) != 0;
    }

    private static void setBit(int[] set, int source, boolean value) {
        if (value) {
            set[source / 32] |= 1 << (source % 32);
        } else {
            set[source / 32] &= ~(1 << (source % 32));
        }
    }

    /**
     * The MMIO window: the context registers exist only once the hart count is known, so the
     * region (which the board may ask for earlier) reaches the register map through here.
     */
    private final class Window implements MmioHandler {
        @Override
        public long read(long offset, int size) {
            Wiring w = wiring;
            return w == null ? 0 : w.registers.read(offset, size);
        }

        @Override
        public void write(long offset, long value, int size) {
            Wiring w = wiring;
            if (w != null) {
                w.registers.write(offset, value, size);
            }
        }
    }
}
