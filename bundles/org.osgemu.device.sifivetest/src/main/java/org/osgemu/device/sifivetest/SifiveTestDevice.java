package org.osgemu.device.sifivetest;

import java.util.Objects;

import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.ShutdownCause;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;

/**
 * The SiFive test finisher ({@code sifive_test}) as QEMU's {@code virt} board has it: writing
 * 0x5555 to its register powers the machine off with status 0, 0x3333 powers it off with the
 * status in bits 31:16, 0x7777 resets it. Firmware uses it for power-off and reboot (through
 * the {@code syscon-poweroff} / {@code syscon-reboot} nodes the board adds), test programs to
 * report their result.
 *
 * <p>Not modelled: nothing is missing from the device itself; reads return 0 as on QEMU. The
 * machine, not the device, decides what a shutdown does to the process (QEMU's device calls
 * {@code exit()} itself; here it asks {@link MachineControl}).
 */
public class SifiveTestDevice implements PlatformDevice, Migratable<SifiveTestState> {

    /** The type name, as {@code -device} spells it. */
    public static final String TYPE = "sifive_test";
    /** FDT label of the node, which the board's syscon-poweroff/-reboot nodes refer to. */
    public static final String FDT_LABEL = "test";

    private final String id;
    private final RegisterMap registers;
    private final MemoryRegion region;
    private volatile MachineControl machine;
    private volatile GuestErrorLog log = GuestErrorLog.NONE;

    /** A finisher named {@code id}; it acts once {@link #realize(DeviceContext) realized}. */
    public SifiveTestDevice(String id) {
        this.id = Objects.requireNonNull(id, "id");
        this.registers = SifiveTestRegisters.declare((index, bits, mask) -> finish(bits));
        // QEMU's sifive_test accepts 16- and 32-bit accesses.
        this.region = MemoryRegion.mmio(TYPE + "." + id, SifiveTestRegisters.SIZE, registers, AccessRules.sizes(2, 4));
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
    public void reset() {
        registers.reset();
    }

    @Override
    public MemoryRegion region() {
        return region;
    }

    @Override
    public void realize(DeviceContext context) {
        log = context.log();
        registers.setLog(log);
        machine = Objects.requireNonNull(context.machine(), "machine");
    }

    @Override
    public void unrealize() {
        machine = null;
        log = GuestErrorLog.NONE;
        registers.setLog(GuestErrorLog.NONE);
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        return FdtNode.at("test", placement.base())
                .string("compatible", "sifive,test1", "sifive,test0", "syscon")
                .reg(placement.base(), placement.size())
                .label(FDT_LABEL);
    }

    @Override
    public VMStateDescription<SifiveTestState> vmstate() {
        return SifiveTestState.VMSTATE;
    }

    @Override
    public SifiveTestState saveState() {
        return new SifiveTestState();
    }

    @Override
    public void loadState(SifiveTestState state) {
        Objects.requireNonNull(state, "state");
    }

    private void finish(long bits) {
        int command = (int) bits & SifiveTestRegisters.COMMAND_MASK;
        int code = (int) (bits >>> SifiveTestRegisters.CODE_SHIFT) & 0xFFFF;
        MachineControl target = machine;
        if (target == null) {
            return; // not on a machine (unplugged): nothing to finish
        }
        switch (command) {
            case SifiveTestRegisters.PASS -> target.shutdown(ShutdownCause.GUEST_SHUTDOWN, 0);
            case SifiveTestRegisters.FAIL -> target.shutdown(ShutdownCause.GUEST_SHUTDOWN, code);
            case SifiveTestRegisters.RESET -> target.systemReset(ShutdownCause.GUEST_RESET);
            default -> log.guestError("%s %s: write of 0x%x is not a finisher command"
                    + " (0x5555 pass, 0x3333 fail, 0x7777 reset in bits 15:0)", TYPE, id, bits);
        }
    }
}
