package org.osgemu.machine.virt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgemu.api.clock.Clock;
import org.osgemu.api.clock.ClockType;
import org.osgemu.api.cpu.Cpu;
import org.osgemu.api.cpu.CpuTarget;
import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.InterruptController;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.machine.MachineConfig;
import org.osgemu.api.machine.MachineConfigException;
import org.osgemu.api.machine.MachineControl;
import org.osgemu.api.machine.MachineRuntime;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.memory.RamBlock;

/**
 * One virt machine: RAM at 0x8000_0000, the mask ROM with the reset vector at 0x1000, the harts,
 * and the platform devices placed by {@link VirtMemoryMap}. Devices come and go at any time
 * (their bundles start and stop); the device tree is built from those present.
 */
final class VirtMachine {

    /** Room for the device tree: the board's own grows with the devices plugged in, up to this. */
    private static final long FDT_RESERVE = 0x1_0000;

    private final MachineConfig config;
    private final MachineRuntime runtime;
    private final CpuTarget cpuTarget;
    private final List<Cpu> cpus = new ArrayList<>();
    private final Map<PlatformDevice, DevicePlacement> placed = new LinkedHashMap<>();
    private final Map<Integer, Boolean> irqLevels = new HashMap<>();
    /** Devices the board could not place, by id, with the reason. */
    private final Map<String, String> refused = new HashMap<>();
    private final Optional<ImageLoader.Image> bios;
    private final Optional<ImageLoader.Image> kernel;
    private final Optional<ImageLoader.Image> initrd;
    private final long fdtAddress;
    /** The blob given with -dtb, used instead of the board's own device tree; null when absent. */
    private final byte[] userDtb;
    private final MemoryRegion rom;
    private volatile InterruptController interruptController;

    VirtMachine(MachineConfig config, MachineRuntime runtime, CpuTarget cpuTarget) throws MachineConfigException {
        this.config = config;
        this.runtime = runtime;
        this.cpuTarget = cpuTarget;
        if (config.cpus() < 1 || config.cpus() > 512) {
            throw new MachineConfigException("-smp " + config.cpus() + ": the virt board takes 1 to 512 CPUs");
        }
        if (config.ramSize() < 16L << 20 || config.ramSize() % RamBlock.PAGE_SIZE != 0) {
            throw new MachineConfigException("-m " + config.ramSize() + ": RAM must be at least 16M and a multiple of 4K");
        }
        long dramEnd = VirtMemoryMap.DRAM_BASE + config.ramSize();

        bios = config.bios().isPresent()
                ? Optional.of(ImageLoader.read("-bios", config.bios().get(), VirtMemoryMap.DRAM_BASE))
                : Optional.empty();
        long kernelBase = BootLayout.kernelBase(VirtMemoryMap.DRAM_BASE, bios);
        kernel = config.kernel().isPresent()
                ? Optional.of(ImageLoader.read("-kernel", config.kernel().get(), kernelBase))
                : Optional.empty();
        if (bios.isEmpty() && kernel.isEmpty()) {
            throw new MachineConfigException("-bios none needs -kernel: there is nothing to run");
        }
        if (config.initrd().isPresent() && kernel.isEmpty()) {
            throw new MachineConfigException("-initrd needs -kernel");
        }
        long initrdBase = kernel.map(k -> BootLayout.initrdBase(k.entry(), config.ramSize())).orElse(0L);
        initrd = config.initrd().isPresent()
                ? Optional.of(ImageLoader.read("-initrd", config.initrd().get(), initrdBase))
                : Optional.empty();
        userDtb = config.dtb().isPresent() ? readDtb(config.dtb().get()) : null;
        fdtAddress = BootLayout.fdtAddress(VirtMemoryMap.DRAM_BASE, config.ramSize(), FDT_RESERVE);
        for (Optional<ImageLoader.Image> image : List.of(bios, kernel, initrd)) {
            if (image.isPresent()) checkFits(image.get(), dramEnd);
        }
        BootLayout.checkNoOverlap(pieces());

        RamBlock ram = runtime.allocateRam("riscv.virt.ram", config.ramSize());
        runtime.systemMemory().addSubregion(VirtMemoryMap.DRAM_BASE, MemoryRegion.ram("riscv.virt.ram", ram));
        rom = MemoryRegion.rom("riscv.virt.mrom", runtime.allocateRam("riscv.virt.mrom", VirtMemoryMap.MROM_SIZE));
        runtime.systemMemory().addSubregion(VirtMemoryMap.MROM_BASE, rom);

        for (int h = 0; h < config.cpus(); h++) {
            Cpu cpu = cpuTarget.createCpu(h, runtime.cpuEnvironment(h, VirtMemoryMap.MROM_BASE, VirtMemoryMap.TIMEBASE_HZ));
            cpus.add(cpu);
            runtime.addCpu(cpu);
        }
        runtime.addResetHandler(this::loadImages);
        runtime.setDeviceTreeSource(this::deviceTree);
    }

    MachineRuntime runtime() {
        return runtime;
    }

    String name() {
        return config.name();
    }

    /** Places {@code device} on the bus; false when the board has no slot for its type or the slot is taken. */
    synchronized boolean plug(PlatformDevice device) {
        List<VirtMemoryMap.Slot> candidates = VirtMemoryMap.candidates(device.bus(), device.type());
        if (candidates.isEmpty()) {
            refuse(device, "the virt board has no place for a " + device.type() + " (bus " + device.bus() + ")");
            return false;
        }
        Optional<VirtMemoryMap.Slot> slot = candidates.stream()
                .filter(c -> placed.values().stream().noneMatch(p -> p.base() == c.base()))
                .findFirst();
        if (slot.isEmpty()) {
            refuse(device, "every " + candidates.get(0).type() + " slot of the virt board is taken");
            return false;
        }
        DevicePlacement placement = new DevicePlacement(slot.get().base(), device.region().size(), slot.get().irqs(),
                config.cpus());
        device.realize(new Context(device, placement));
        runtime.systemMemory().addSubregion(placement.base(), device.region());
        placed.put(device, placement);
        refused.remove(device.id());
        runtime.addDevice(device, placement);
        if (device instanceof InterruptController ic) {
            interruptController = ic;
            irqLevels.forEach((source, level) -> ic.input(source).setLevel(level));
        }
        return true;
    }

    private void refuse(PlatformDevice device, String reason) {
        refused.put(device.id(), reason);
        runtime.guestErrorLog("virt").guestError("device %s: %s", device.id(), reason);
    }

    /** Why the device {@code id} could not be placed, if it was refused. */
    synchronized Optional<String> refusal(String id) {
        return Optional.ofNullable(refused.get(id));
    }

    /** Removes {@code device} from the bus and the machine; no effect when it was not placed. */
    synchronized void unplug(PlatformDevice device) {
        if (placed.remove(device) == null) {
            return;
        }
        runtime.systemMemory().removeSubregion(device.region());
        runtime.removeDevice(device);
        if (device == interruptController) {
            interruptController = null;
        }
        device.unrealize();
    }

    synchronized boolean hasDevice(String id) {
        return placed.keySet().stream().anyMatch(d -> d.id().equals(id));
    }

    /** The device tree as the firmware would get it now. */
    synchronized byte[] deviceTree() {
        List<VirtDeviceTree.PlacedNode> nodes = new ArrayList<>();
        placed.entrySet().stream()
                .sorted((a, b) -> Long.compareUnsigned(a.getValue().base(), b.getValue().base()))
                .forEach(e -> {
                    FdtNode node = e.getKey().describe(e.getValue());
                    if (node != null) {
                        nodes.add(new VirtDeviceTree.PlacedNode(e.getKey().type(), e.getValue(), node,
                                e.getKey().rootNodes(e.getValue())));
                    }
                });
        Optional<long[]> initrdRange = initrd.map(i -> new long[] {i.lowest(), i.highest()});
        return VirtDeviceTree.build(config.cpus(), cpuTarget.isaString(), cpuTarget.mmuType(), config.ramSize(), nodes, config.append(), initrdRange);
    }

    /** Reset handler: firmware, kernel, initrd, ROM and device tree back into guest memory. */
    private void loadImages() {
        try {
            for (Optional<ImageLoader.Image> image : List.of(bios, kernel, initrd)) {
                if (image.isPresent()) image.get().load(runtime.memory());
            }
        } catch (MachineConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        long start = bios.map(ImageLoader.Image::entry).orElseGet(() -> kernel.get().entry());
        long next = bios.isPresent() ? kernel.map(ImageLoader.Image::entry).orElse(0L) : 0L;
        byte[] romBytes = BootRom.build(start, fdtAddress, next);
        runtime.memory().loadBytes(VirtMemoryMap.MROM_BASE, romBytes, 0, romBytes.length);
        byte[] fdt = userDtb != null ? userDtb : deviceTree();
        if (fdt.length > FDT_RESERVE) {
            throw new IllegalStateException("device tree of " + fdt.length + " bytes exceeds the " + FDT_RESERVE + " reserved");
        }
        runtime.memory().loadBytes(fdtAddress, fdt, 0, fdt.length);
    }

    private static byte[] readDtb(java.nio.file.Path path) throws MachineConfigException {
        byte[] blob;
        try {
            blob = java.nio.file.Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MachineConfigException("-dtb " + path + ": no such file");
        } catch (java.io.IOException e) {
            throw new MachineConfigException("-dtb " + path + ": cannot read: " + e.getMessage());
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(blob);
        if (blob.length < 40 || b.getInt(0) != 0xd00dfeed) {
            throw new MachineConfigException("-dtb " + path + ": not a flattened device tree (no 0xd00dfeed magic)");
        }
        int total = b.getInt(4);
        if (total < 40 || total > blob.length) {
            throw new MachineConfigException("-dtb " + path + ": header says " + total + " bytes, the file has " + blob.length);
        }
        blob = java.util.Arrays.copyOf(blob, total); // dumps (QEMU's dumpdtb) may be padded past the blob

        if (blob.length > FDT_RESERVE) {
            throw new MachineConfigException("-dtb " + path + ": " + blob.length + " bytes, more than the " + FDT_RESERVE + " reserved");
        }
        return blob;
    }

    /** Everything loaded into guest memory at reset: images, device tree, boot ROM. */
    private List<BootLayout.Piece> pieces() {
        List<BootLayout.Piece> pieces = new ArrayList<>();
        bios.ifPresent(i -> pieces.addAll(BootLayout.pieces(BootLayout.Kind.FIRMWARE, i)));
        kernel.ifPresent(i -> pieces.addAll(BootLayout.pieces(BootLayout.Kind.KERNEL, i)));
        initrd.ifPresent(i -> pieces.addAll(BootLayout.pieces(BootLayout.Kind.INITRD, i)));
        pieces.add(userDtb != null
                ? new BootLayout.Piece(BootLayout.Kind.DEVICE_TREE, "-dtb " + config.dtb().get(), fdtAddress, fdtAddress + userDtb.length)
                : new BootLayout.Piece(BootLayout.Kind.DEVICE_TREE, "the device tree", fdtAddress, fdtAddress + FDT_RESERVE));
        pieces.add(new BootLayout.Piece(BootLayout.Kind.BOOT_ROM, "the boot ROM", VirtMemoryMap.MROM_BASE,
                VirtMemoryMap.MROM_BASE + BootRom.SIZE));
        return pieces;
    }

    private void checkFits(ImageLoader.Image image, long dramEnd) throws MachineConfigException {
        if (Long.compareUnsigned(image.lowest(), VirtMemoryMap.DRAM_BASE) < 0 || Long.compareUnsigned(image.highest(), dramEnd) > 0) {
            throw new MachineConfigException(String.format("%s %s: occupies [0x%x, 0x%x), outside RAM [0x%x, 0x%x); try a larger -m",
                    image.option(), image.path(), image.lowest(), image.highest(), VirtMemoryMap.DRAM_BASE, dramEnd));
        }
    }

    private void routeIrq(int source, boolean level) {
        synchronized (irqLevels) {
            irqLevels.put(source, level);
        }
        InterruptController ic = interruptController;
        if (ic != null) {
            ic.input(source).setLevel(level);
        }
    }

    /** What one device sees of the board. */
    private final class Context implements DeviceContext {
        private final PlatformDevice device;
        private final DevicePlacement placement;

        Context(PlatformDevice device, DevicePlacement placement) {
            this.device = device;
            this.placement = placement;
        }

        @Override
        public DevicePlacement placement() {
            return placement;
        }

        @Override
        public IrqLine irq(int index) {
            if (index < 0 || index >= placement.irqs().size()) {
                throw new IllegalArgumentException("device " + device.id() + " (" + device.type() + ") has "
                        + placement.irqs().size() + " interrupt line(s) on the virt board, not index " + index);
            }
            int source = placement.irqs().get(index);
            return level -> routeIrq(source, level);
        }

        @Override
        public IrqLine cpuInterrupt(int hart, int number) {
            if (hart < 0 || hart >= cpus.size()) {
                throw new IllegalArgumentException("device " + device.id() + ": no hart " + hart);
            }
            return cpus.get(hart).interruptLine(number);
        }

        @Override
        public Clock clock(ClockType type) {
            return runtime.clock(type);
        }

        @Override
        public long timebaseHz() {
            return VirtMemoryMap.TIMEBASE_HZ;
        }

        @Override
        public GuestErrorLog log() {
            return runtime.guestErrorLog(device.id());
        }

        @Override
        public MachineControl machine() {
            return runtime;
        }

        @Override
        public org.osgemu.api.memory.AddressSpace dma() {
            return runtime.memory();
        }
    }
}
