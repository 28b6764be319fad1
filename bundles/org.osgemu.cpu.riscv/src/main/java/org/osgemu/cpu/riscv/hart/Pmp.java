package org.osgemu.cpu.riscv.hart;

import static org.osgemu.cpu.riscv.hart.Csr.PRIV_M;

import java.util.Arrays;

/**
 * Physical memory protection (privileged manual 1.12, section 3.7): 16 entries, granularity 4
 * bytes (G = 0), address matching OFF, TOR, NA4 and NAPOT, R/W/X permissions and the lock bit.
 *
 * <p>Rules: the lowest-numbered entry that matches any byte of an access decides it, and the
 * access fails unless that entry covers all of its bytes. A matching entry grants M-mode
 * everything unless it is locked; locked entries bind M-mode too. When no entry matches,
 * M-mode is allowed and S/U-mode is refused as soon as one entry is active (A is not OFF); with
 * every entry off, S/U-mode is allowed, so software that never programs PMP runs unhindered.
 *
 * <p>Writes to a locked entry's pmpcfg byte and pmpaddr are ignored, and so are writes to the
 * pmpaddr below a locked TOR entry. The registers are {@link #cfg} (pmpcfg0 and pmpcfg2, the
 * only ones RV64 has) and {@link #addr}; after every change the active entries are compiled
 * into ranges, and the listener is told so that cached answers (the TLB's) are dropped.
 *
 * <p>Not modelled: Smepmp (mseccfg), coarser granularity.
 */
final class Pmp {

    static final int ENTRIES = 16;
    /** pmpaddr holds bits 55..2 of an address. */
    static final long ADDR_MASK = (1L << 54) - 1;

    static final int R = 1, W = 2, X = 4, LOCKED = 0x80;
    private static final int A_SHIFT = 3;
    private static final int OFF = 0, TOR = 1, NA4 = 2, NAPOT = 3;
    /** Permission bit an access needs, indexed by {@link Mmu#FETCH}, {@link Mmu#LOAD}, {@link Mmu#STORE}. */
    private static final int[] NEEDED = {X, R, W};

    /** Answers of {@link #checkPage}: every access to the page allowed, all refused, or it depends. */
    static final int ALLOW = 0, DENY = 1, MIXED = 2;

    /** pmpcfg0 and pmpcfg2: eight entry bytes each. */
    final long[] cfg = new long[ENTRIES / 8];
    final long[] addr = new long[ENTRIES];

    private final Runnable changed;

    // Compiled active entries, in priority order: [low, high) and their cfg bytes.
    private final long[] low = new long[ENTRIES];
    private final long[] high = new long[ENTRIES];
    private final int[] permissions = new int[ENTRIES];
    private int active;
    private boolean anyLocked;

    /** {@code changed} runs after every change of an entry. */
    Pmp(Runnable changed) {
        this.changed = changed;
    }

    void reset() {
        Arrays.fill(cfg, 0);
        Arrays.fill(addr, 0);
        compile();
    }

    /** Recompiles the entries after {@link #cfg} and {@link #addr} were set directly (state restore). */
    void restored() {
        compile();
    }

    // ---- CSRs -------------------------------------------------------------------------------

    /**
     * Writes pmpcfg register {@code index} (0 for pmpcfg0, 1 for pmpcfg2) byte by byte: locked
     * entries keep their value, the reserved bits 5..6 read as zero and the reserved
     * combination R = 0, W = 1 drops W.
     */
    void writeCfg(int index, long value) {
        long old = cfg[index];
        long result = 0;
        for (int i = 0; i < 8; i++) {
            int oldByte = (int) (old >>> (8 * i)) & 0xFF;
            int b = (int) (value >>> (8 * i)) & 0xFF;
            if ((oldByte & LOCKED) != 0) {
                b = oldByte;
            } else {
                b &= 0x9F;
                if ((b & (R | W)) == W) {
                    b &= ~W;
                }
            }
            result |= (long) b << (8 * i);
        }
        if (result != old) {
            cfg[index] = result;
            compile();
        }
    }

    /** Writes pmpaddr{@code entry} unless the entry, or the TOR entry above it, is locked. */
    void writeAddr(int entry, long value) {
        if (addressLocked(entry)) {
            return;
        }
        long v = value & ADDR_MASK;
        if (v != addr[entry]) {
            addr[entry] = v;
            compile();
        }
    }

    private int cfgByte(int entry) {
        return (int) (cfg[entry / 8] >>> (8 * (entry % 8))) & 0xFF;
    }

    private boolean addressLocked(int entry) {
        if ((cfgByte(entry) & LOCKED) != 0) {
            return true;
        }
        if (entry + 1 < ENTRIES) {
            int above = cfgByte(entry + 1);
            return (above & LOCKED) != 0 && ((above >>> A_SHIFT) & 3) == TOR;
        }
        return false;
    }

    /** Turns the registers into [low, high) ranges of the active entries. */
    private void compile() {
        active = 0;
        anyLocked = false;
        for (int e = 0; e < ENTRIES; e++) {
            int c = cfgByte(e);
            int mode = (c >>> A_SHIFT) & 3;
            if (mode == OFF) {
                continue;
            }
            long lo;
            long hi;
            switch (mode) {
                case TOR -> {
                    lo = e == 0 ? 0 : addr[e - 1] << 2;
                    hi = addr[e] << 2;
                }
                case NA4 -> {
                    lo = addr[e] << 2;
                    hi = lo + 4;
                }
                default -> {
                    // NAPOT: the trailing ones of pmpaddr give the size, 2^(ones + 3) bytes.
                    int ones = Long.numberOfTrailingZeros(~addr[e]);
                    lo = (addr[e] & ~((1L << ones) - 1)) << 2;
                    hi = lo + (1L << (ones + 3));
                }
            }
            low[active] = lo;
            high[active] = hi; // a TOR entry with hi <= lo matches nothing, but is active
            permissions[active] = c;
            active++;
            anyLocked |= (c & LOCKED) != 0;
        }
        changed.run();
    }

    // ---- checks -------------------------------------------------------------------------------

    /**
     * Whether an access of {@code type} ({@link Mmu#FETCH}, {@link Mmu#LOAD}, {@link Mmu#STORE})
     * to the {@code size} bytes at physical {@code address} is allowed at privilege {@code priv}.
     * Addresses at or above 2^63 match no entry (PMP covers 56-bit physical addresses).
     */
    boolean allows(long address, int size, int type, int priv) {
        if (priv == PRIV_M && !anyLocked) {
            return true;
        }
        long end = address + size;
        for (int k = 0; k < active; k++) {
            if (address < high[k] && end > low[k]) {
                return address >= low[k] && end <= high[k] && granted(permissions[k], type, priv);
            }
        }
        return priv == PRIV_M || active == 0;
    }

    /**
     * The answer for every access of {@code type} inside the 4 KiB page at {@code page}:
     * {@link #ALLOW} or {@link #DENY} when one entry (or none) decides the whole page, else
     * {@link #MIXED} and each access must be checked with {@link #allows}.
     */
    int checkPage(long page, int type, int priv) {
        if (priv == PRIV_M && !anyLocked) {
            return ALLOW;
        }
        long end = page + 4096;
        for (int k = 0; k < active; k++) {
            if (page < high[k] && end > low[k]) {
                if (page < low[k] || end > high[k]) {
                    return MIXED;
                }
                return granted(permissions[k], type, priv) ? ALLOW : DENY;
            }
        }
        return priv == PRIV_M || active == 0 ? ALLOW : DENY;
    }

    private static boolean granted(int permission, int type, int priv) {
        if (priv == PRIV_M && (permission & LOCKED) == 0) {
            return true;
        }
        return (permission & NEEDED[type]) != 0;
    }
}
