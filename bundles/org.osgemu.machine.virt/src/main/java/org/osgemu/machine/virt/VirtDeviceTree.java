package org.osgemu.machine.virt;

import java.util.List;
import java.util.Optional;

import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.fdt.FdtWriter;

/**
 * Builds the virt board's device tree from what is wired in at this moment: the CPUs, the RAM,
 * and the node each placed device describes for itself. A device that is absent (its bundle
 * stopped) is simply not there.
 */
final class VirtDeviceTree {

    /** A device node and where it sits, and the nodes the device adds at the root (its buttons, say). */
    record PlacedNode(String type, DevicePlacement placement, FdtNode node, List<FdtNode> rootNodes) {

        PlacedNode(String type, DevicePlacement placement, FdtNode node) {
            this(type, placement, node, List.of());
        }
    }

    private VirtDeviceTree() {}

    static byte[] build(int harts, String isa, String mmuType, long ramSize, List<PlacedNode> devices, String bootargs,
                        Optional<long[]> initrd) {
        FdtNode root = new FdtNode("")
                .u32("#address-cells", 2).u32("#size-cells", 2)
                .string("compatible", "riscv-virtio")
                .string("model", "riscv-virtio,qemu");

        FdtNode chosen = new FdtNode("chosen");
        devices.stream().filter(d -> d.type().equals("ns16550a")).findFirst()
                .ifPresent(d -> chosen.string("stdout-path", "/soc/" + d.node().name()));
        if (!bootargs.isEmpty()) {
            chosen.string("bootargs", bootargs);
        }
        initrd.ifPresent(r -> chosen.u64("linux,initrd-start", r[0]).u64("linux,initrd-end", r[1]));
        root.child(chosen);

        root.child(FdtNode.at("memory", VirtMemoryMap.DRAM_BASE)
                .string("device_type", "memory")
                .reg(VirtMemoryMap.DRAM_BASE, ramSize));

        FdtNode cpus = new FdtNode("cpus")
                .u32("#address-cells", 1).u32("#size-cells", 0)
                .u32("timebase-frequency", VirtMemoryMap.TIMEBASE_HZ);
        FdtNode cluster = new FdtNode("cluster0");
        for (int h = 0; h < harts; h++) {
            FdtNode cpu = FdtNode.at("cpu", h).label("cpu" + h)
                    .string("device_type", "cpu")
                    .u32("reg", h)
                    .string("status", "okay")
                    .string("compatible", "riscv")
                    .string("riscv,isa", isa);
            if (mmuType != null) {
                cpu.string("mmu-type", mmuType);
            }
            cpu.child(new FdtNode("interrupt-controller").label(DevicePlacement.cpuInterruptController(h))
                    .u32("#interrupt-cells", 1)
                    .flag("interrupt-controller")
                    .string("compatible", "riscv,cpu-intc"));
            cpus.child(cpu);
            cluster.child(new FdtNode("core" + h).phandleRef("cpu", "cpu" + h));
        }
        cpus.child(new FdtNode("cpu-map").child(cluster));
        root.child(cpus);

        FdtNode soc = new FdtNode("soc")
                .u32("#address-cells", 2).u32("#size-cells", 2)
                .string("compatible", "simple-bus")
                .flag("ranges");
        boolean haveTest = false;
        for (PlacedNode d : devices) {
            soc.child(d.node());
            haveTest |= "test".equals(d.node().label());
        }
        root.child(soc);
        for (PlacedNode d : devices) {
            d.rootNodes().forEach(root::child);
        }
        if (haveTest) {
            root.child(new FdtNode("poweroff").string("compatible", "syscon-poweroff")
                    .phandleRef("regmap", "test").u32("offset", 0).u32("value", 0x5555));
            root.child(new FdtNode("reboot").string("compatible", "syscon-reboot")
                    .phandleRef("regmap", "test").u32("offset", 0).u32("value", 0x7777));
        }
        return FdtWriter.write(root, 0);
    }
}
