package org.osgemu.cpu.riscv.hart;

/**
 * A synchronous exception raised while executing an instruction; the interpreter catches it
 * and enters the trap handler. Each hart reuses one instance (no allocation, no stack trace):
 * traps are ordinary guest behaviour, not errors of the emulator.
 */
final class RiscvTrap extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exception code ({@link TrapCause}). */
    int cause;
    /** Value for {@code xtval}. */
    long tval;

    RiscvTrap() {
        super(null, null, false, false);
    }

    /** Fills in the exception and returns this, to be thrown. */
    RiscvTrap raise(int cause, long tval) {
        this.cause = cause;
        this.tval = tval;
        return this;
    }

    @Override
    public String getMessage() {
        return "trap cause " + cause + ", tval 0x" + Long.toHexString(tval);
    }
}
