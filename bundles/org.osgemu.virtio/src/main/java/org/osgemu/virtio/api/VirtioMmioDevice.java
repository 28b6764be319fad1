package org.osgemu.virtio.api;

import static org.osgemu.virtio.api.Virtio.F_RING_EVENT_IDX;
import static org.osgemu.virtio.api.Virtio.F_RING_INDIRECT_DESC;
import static org.osgemu.virtio.api.Virtio.F_VERSION_1;
import static org.osgemu.virtio.api.Virtio.INTERRUPT_CONFIG_CHANGE;
import static org.osgemu.virtio.api.Virtio.INTERRUPT_USED_BUFFER;
import static org.osgemu.virtio.api.Virtio.STATUS_DEVICE_NEEDS_RESET;
import static org.osgemu.virtio.api.Virtio.STATUS_DRIVER_BITS;
import static org.osgemu.virtio.api.Virtio.STATUS_DRIVER_OK;
import static org.osgemu.virtio.api.Virtio.STATUS_FEATURES_OK;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import org.osgemu.api.device.DeviceContext;
import org.osgemu.api.device.DevicePlacement;
import org.osgemu.api.device.GuestErrorLog;
import org.osgemu.api.device.PlatformDevice;
import org.osgemu.api.device.Quiescable;
import org.osgemu.api.device.RegisterMap;
import org.osgemu.api.fdt.FdtNode;
import org.osgemu.api.irq.IrqLine;
import org.osgemu.api.memory.AccessRules;
import org.osgemu.api.memory.MemoryRegion;
import org.osgemu.api.vmstate.Migratable;
import org.osgemu.api.vmstate.VMStateDescription;
import org.osgemu.api.vmstate.VMStateException;

/**
 * A virtio device behind the virtio-mmio transport, version 2 (spec §4.2): the
 * {@link PlatformDevice} the board places at a virtio-mmio slot, with the transport registers,
 * feature negotiation (VIRTIO_F_VERSION_1 required; INDIRECT_DESC and EVENT_IDX offered), the
 * device status with reset on 0, queue setup, the interrupt (level-high while InterruptStatus is
 * non-zero) and migration of all of it. What the device does is its {@link VirtioDeviceModel}'s.
 * Device components extend this class with their model.
 *
 * <p>Guest mistakes (bad register values, malformed rings) are logged and never thrown; a
 * malformed ring puts the device in the DEVICE_NEEDS_RESET state with a configuration-change
 * interrupt, and the device does nothing more until the driver resets it.
 *
 * <p>While the machine does not run the device is quiesced ({@link Quiescable}, {@link DeviceActivity}):
 * chains in flight are drained into the rings (as QEMU drains block I/O when it stops), then
 * nothing is written to guest memory and no interrupt raised; a late completion is held in flight.
 * {@link #resume()} publishes what was held, restarts the chains a loaded state had in flight and
 * processes the queues notified meanwhile.
 *
 * <p>Not modelled: the legacy interface (version 1), VIRTIO_F_NOTIFICATION_DATA, queue reset
 * (VIRTIO_F_RING_RESET), packed virtqueues and shared memory regions (all read as absent).
 *
 * <p>Locking: one lock per device guards the transport registers and the queues (lock order:
 * model, then transport, then interrupt controller); the model is called outside it.
 *
 * @param <S> the model's state record
 */
public class VirtioMmioDevice<S extends Record>
        implements PlatformDevice, Migratable<VirtioMmioState>, VirtioTransport, Quiescable {

    /** Size of the window the device decodes (QEMU's virt board reserves 0x1000 per slot). */
    public static final long WINDOW_SIZE = 0x1000;
    /** How long a reset or a save waits by default for chains still in flight (host I/O) before going on. */
    public static final long DRAIN_TIMEOUT_MILLIS = 10_000;

    private static final System.Logger LOG = System.getLogger(VirtioMmioDevice.class.getName());

    /** What a realized device is connected to. */
    private record Wiring(IrqLine irq, GuestErrorLog log, GuestMemory memory) {}

    private static final Wiring UNWIRED = new Wiring(IrqLine.NONE, GuestErrorLog.NONE, null);

    private final String id;
    private final String type;
    private final String name;
    private final VirtioDeviceModel<S> model;
    private final long offeredFeatures;
    private final VMStateDescription<VirtioMmioState> vmstate;
    private final ReentrantLock lock = new ReentrantLock();
    private final Host host = new Host();
    private final VirtQueue[] queues;
    private final DeviceActivity activity;
    private final RegisterMap registers;
    private final MemoryRegion region;
    private volatile Wiring wiring = UNWIRED;

    // Guarded by lock.
    private int status;
    private long driverFeatures;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int queueSel;
    private int interruptStatus;
    private int configGeneration;

    /** A device {@code id} of {@code type} (the {@code -device} driver name) running {@code model}. */
    public VirtioMmioDevice(String id, String type, VirtioDeviceModel<S> model) {
        this.id = Objects.requireNonNull(id, "id");
        this.type = Objects.requireNonNull(type, "type");
        this.name = type + " " + id;
        this.model = Objects.requireNonNull(model, "model");
        this.vmstate = VirtioMmioState.description(type);
        this.offeredFeatures = model.deviceFeatures() | Virtio.bit(F_VERSION_1) | Virtio.bit(F_RING_INDIRECT_DESC)
                | Virtio.bit(F_RING_EVENT_IDX);
        int[] sizes = model.queueMaxSizes();
        if (sizes.length < 1 || sizes.length > VirtioMmioState.MAX_QUEUES) {
            throw new IllegalArgumentException(name + ": " + sizes.length + " queues, not 1.." + VirtioMmioState.MAX_QUEUES);
        }
        if (model.configSize() < 0 || model.configSize() > WINDOW_SIZE - VirtioMmioRegisters.CONFIG) {
            throw new IllegalArgumentException(name + ": configuration space of " + model.configSize() + " bytes");
        }
        this.queues = new VirtQueue[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            queues[i] = new VirtQueue(i, sizes[i], host, lock);
        }
        this.activity = new DeviceActivity(name, queues, lock);
        this.registers = VirtioMmioRegisters.declare(this, name, model.deviceId());
        // Control registers are 32-bit; the configuration space takes 1, 2 and 4 bytes.
        this.region = MemoryRegion.mmio(type + "." + id, WINDOW_SIZE, VirtioMmioRegisters.handler(this, registers, model), AccessRules.sizes(1, 4));
        model.attach(this);
    }

    // ---- PlatformDevice ----

    @Override
    public String id() {
        return id;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String bus() {
        return VIRTIO_MMIO;
    }

    @Override
    public MemoryRegion region() {
        return region;
    }

    @Override
    public void realize(DeviceContext context) {
        unrealize();
        GuestErrorLog log = context.log();
        registers.setLog(log);
        List<Runnable> resumes;
        lock.lock();
        try {
            wiring = new Wiring(context.irq(0), log, new GuestMemory(context.dma()));
            resumes = resumePending();
            updateInterrupt();
        } finally {
            lock.unlock();
        }
        resumes.forEach(Runnable::run);
    }

    @Override
    public void unrealize() {
        lock.lock();
        try {
            if (wiring == UNWIRED) {
                return;
            }
            activity.awaitIdle();
            wiring.irq().lower();
            wiring = UNWIRED;
        } finally {
            lock.unlock();
        }
        registers.setLog(GuestErrorLog.NONE);
    }

    @Override
    public void reset() {
        deviceReset();
    }

    @Override
    public FdtNode describe(DevicePlacement placement) {
        if (placement.irqs().isEmpty()) {
            throw new IllegalArgumentException(name + ": the placement at 0x" + Long.toHexString(placement.base())
                    + " gives no interrupt number");
        }
        return FdtNode.at("virtio_mmio", placement.base())
                .u32("interrupts", placement.irqs().get(0))
                .phandleRef("interrupt-parent", DevicePlacement.INTERRUPT_CONTROLLER)
                .reg(placement.base(), placement.size())
                .string("compatible", "virtio,mmio");
    }

    /**
     * How long a reset, a save or an unplug waits for chains still in flight (a request stuck
     * in host I/O) before going on without them; their late completions are then dropped (held, for a quiesce).
     */
    public void setDrainTimeout(long millis) {
        activity.setDrainTimeout(millis);
    }

    /** The device model. */
    public VirtioDeviceModel<S> model() {
        return model;
    }

    // ---- VirtioTransport ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public VirtQueue queue(int index) {
        return queues[index];
    }

    @Override
    public boolean hasFeature(int bit) {
        return locked(() -> (status & STATUS_FEATURES_OK) != 0 && (driverFeatures & Virtio.bit(bit)) != 0 ? 1 : 0) == 1;
    }

    @Override
    public boolean isDriverReady() {
        return locked(() -> (status & (STATUS_DRIVER_OK | STATUS_DEVICE_NEEDS_RESET)) == STATUS_DRIVER_OK ? 1 : 0) == 1;
    }

    @Override
    public GuestErrorLog log() {
        return wiring.log();
    }

    @Override
    public void configChanged() {
        locked(() -> {
            configGeneration++;
            if ((status & STATUS_DRIVER_OK) != 0) {
                interruptStatus |= INTERRUPT_CONFIG_CHANGE;
                updateInterrupt();
            }
        });
    }

    @Override
    public boolean isQuiesced() {
        return !activity.isRunning();
    }

    // ---- Quiescable ----

    @Override
    public void quiesce() {
        locked(() -> activity.quiesce()); // drains the chains in flight, releasing the lock meanwhile
    }

    @Override
    public void resume() {
        List<Runnable> work = new ArrayList<>();
        lock.lock();
        try {
            if (!activity.resume()) {
                return;
            }
            for (VirtQueue q : queues) {
                q.publishHeld();
                q.notifyDriver();
            }
            work.addAll(resumePending());
            long wanted = activity.takeWanted();
            for (int i = 0; i < queues.length; i++) {
                int index = i;
                if ((wanted >>> i & 1) != 0 && processable(i)) {
                    work.add(() -> runModel(index, () -> model.queueNotified(index)));
                }
            }
            updateInterrupt();
        } finally {
            lock.unlock();
        }
        work.forEach(Runnable::run);
        runModel(-1, model::resumed);
    }

    // ---- registers (called by the register map, without its lock) ----

    long readDeviceFeatures() {
        return locked(() -> switch (deviceFeaturesSel) {
            case 0 -> offeredFeatures & 0xFFFF_FFFFL;
            case 1 -> offeredFeatures >>> 32;
            default -> 0;
        });
    }

    void writeDeviceFeaturesSel(int value) {
        locked(() -> deviceFeaturesSel = value);
    }

    void writeDriverFeatures(long value) {
        lock.lock();
        try {
            if ((status & STATUS_FEATURES_OK) != 0) {
                log().guestError("%s: DriverFeatures written after FEATURES_OK; ignored", name);
                return;
            }
            switch (driverFeaturesSel) {
                case 0 -> driverFeatures = (driverFeatures & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
                case 1 -> driverFeatures = (driverFeatures & 0xFFFF_FFFFL) | (value << 32);
                default -> {
                    if (value != 0) {
                        log().guestError("%s: DriverFeatures word %d set to 0x%x; no feature lives there",
                                name, driverFeaturesSel, value);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void writeDriverFeaturesSel(int value) {
        locked(() -> driverFeaturesSel = value);
    }

    void writeQueueSel(int value) {
        locked(() -> queueSel = value);
    }

    long readQueueNumMax() {
        return locked(() -> {
            VirtQueue q = selectedQueue(null);
            return q == null ? 0 : q.maxSize();
        });
    }

    void writeQueueNum(long value) {
        lock.lock();
        try {
            VirtQueue q = selectedQueue("QueueNum");
            if (q == null || !configurable(q, "QueueNum")) {
                return;
            }
            if (value < 1 || value > q.maxSize() || Long.bitCount(value) != 1) {
                log().guestError("%s: QueueNum %d for queue %d is not a power of two in 1..%d; ignored",
                        name, value, q.index(), q.maxSize());
                return;
            }
            q.setSize((int) value);
        } finally {
            lock.unlock();
        }
    }

    long readQueueReady() {
        return locked(() -> {
            VirtQueue q = selectedQueue(null);
            return q != null && q.ready() ? 1 : 0;
        });
    }

    void writeQueueReady(long value) {
        lock.lock();
        try {
            VirtQueue q = selectedQueue("QueueReady");
            if (q == null) {
                return;
            }
            if ((value & 1) == 0) {
                q.setReady(false);
                return;
            }
            if (q.ready()) {
                return;
            }
            String bad = VirtQueue.misalignment(q.descAddr(), q.driverAddr(), q.deviceAddr());
            if (bad == null && wiring.memory() != null) {
                try {
                    VirtQueue.checkRings(wiring.memory(), q.configuredSize(), q.descAddr(), q.driverAddr(), q.deviceAddr());
                } catch (GuestMemoryException e) {
                    bad = "rings of " + q.configuredSize() + " entries: " + e.getMessage();
                }
            }
            if (bad != null) {
                host.queueFailed(q.index(), bad);
                return;
            }
            q.setReady(true);
        } finally {
            lock.unlock();
        }
    }

    void writeQueueAddress(VirtioMmioRegisters.QueueArea area, VirtioMmioRegisters.Half half, long value) {
        lock.lock();
        try {
            String register = "Queue" + area + half;
            VirtQueue q = selectedQueue(register);
            if (q == null || !configurable(q, register)) {
                return;
            }
            long old = switch (area) {
                case DESC -> q.descAddr();
                case DRIVER -> q.driverAddr();
                case DEVICE -> q.deviceAddr();
            };
            long merged = half == VirtioMmioRegisters.Half.LOW
                    ? (old & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL)
                    : (old & 0xFFFF_FFFFL) | (value << 32);
            switch (area) {
                case DESC -> q.setDescAddr(merged);
                case DRIVER -> q.setDriverAddr(merged);
                case DEVICE -> q.setDeviceAddr(merged);
            }
        } finally {
            lock.unlock();
        }
    }

    void writeQueueNotify(long value) {
        int index = (int) (value & 0xFFFF);
        lock.lock();
        try {
            if (index >= queues.length) {
                log().guestError("%s: QueueNotify for queue %d; the device has %d", name, index, queues.length);
                return;
            }
            if (!activity.isRunning()) {
                activity.want(index); // processed on resume
                return;
            }
            if (!processable(index)) {
                return; // nothing to do yet (or any more): kicks before setup are harmless
            }
        } finally {
            lock.unlock();
        }
        runModel(index, () -> model.queueNotified(index));
    }

    /** Whether the model may process queue {@code index}: the driver set it up and the device is not broken. */
    private boolean processable(int index) {
        return queues[index].ready() && (status & (STATUS_FEATURES_OK | STATUS_DEVICE_NEEDS_RESET)) == STATUS_FEATURES_OK;
    }

    long readInterruptStatus() {
        return locked(() -> interruptStatus);
    }

    void writeInterruptAck(int value) {
        locked(() -> {
            interruptStatus &= ~value;
            updateInterrupt();
        });
    }

    long readStatus() {
        return locked(() -> status);
    }

    void writeStatus(int value) {
        if (value == 0) {
            deviceReset();
            return;
        }
        boolean becameReady;
        lock.lock();
        try {
            int written = value & 0xFF;
            if ((written & ~STATUS_DRIVER_BITS) != 0) {
                log().guestError("%s: Status 0x%x sets bits the driver does not own; they are ignored", name, written);
            }
            int next = (written & STATUS_DRIVER_BITS) | (status & STATUS_DEVICE_NEEDS_RESET);
            if ((next & STATUS_FEATURES_OK) != 0 && (status & STATUS_FEATURES_OK) == 0) {
                String refusal = featureRefusal();
                if (refusal != null) {
                    log().guestError("%s: FEATURES_OK refused: %s", name, refusal);
                    next &= ~STATUS_FEATURES_OK;
                }
            }
            if ((next & STATUS_DRIVER_OK) != 0 && (next & STATUS_FEATURES_OK) == 0) {
                log().guestError("%s: DRIVER_OK without FEATURES_OK; the device stays idle", name);
            }
            becameReady = (next & STATUS_DRIVER_OK) != 0 && (status & STATUS_DRIVER_OK) == 0
                    && (next & (STATUS_FEATURES_OK | STATUS_DEVICE_NEEDS_RESET)) == STATUS_FEATURES_OK;
            status = next;
        } finally {
            lock.unlock();
        }
        if (becameReady) {
            runModel(-1, model::driverReady);
        }
    }

    long readConfigGeneration() {
        return locked(() -> configGeneration);
    }

    // ---- reset and migration ----

    /** Status 0 or machine reset: waits for chains in flight, then everything to power-on values. */
    private void deviceReset() {
        lock.lock();
        try {
            for (VirtQueue q : queues) {
                q.stop();
            }
            activity.awaitIdle();
            for (VirtQueue q : queues) {
                q.reset();
            }
            status = 0;
            driverFeatures = 0;
            deviceFeaturesSel = 0;
            driverFeaturesSel = 0;
            queueSel = 0;
            interruptStatus = 0;
            activity.forgetDeferred();
            updateInterrupt();
        } finally {
            lock.unlock();
        }
        model.reset();
    }

    @Override
    public VMStateDescription<VirtioMmioState> vmstate() {
        return vmstate;
    }

    @Override
    public VirtioMmioState saveState() {
        byte[] deviceState = model.vmstate().save(model.saveState());
        lock.lock();
        try {
            activity.awaitIdle(); // finished host I/O lands in the rings (or is held); what is left is saved as in flight
            return VirtioMmioState.capture(status, driverFeatures, deviceFeaturesSel, driverFeaturesSel, queueSel,
                    interruptStatus, configGeneration, queues, activity.toRestart(), model.vmstate().version(), deviceState);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void loadState(VirtioMmioState state) throws VMStateException {
        int[] size = state.queueSize();
        int[] ready = state.queueReady();
        state.checkFits(name, queues, offeredFeatures, wiring.memory());
        S deviceState = model.vmstate().load(state.deviceState(), state.deviceVersion());
        model.loadState(deviceState); // the last check that may refuse; nothing changed before it

        List<Runnable> resumes;
        lock.lock();
        try {
            long[] desc = state.queueDesc();
            long[] driver = state.queueDriver();
            long[] device = state.queueDevice();
            int[] lastAvail = state.lastAvailIdx();
            int[] used = state.usedIdx();
            for (int i = 0; i < queues.length; i++) {
                queues[i].restore(size[i], ready[i] == 1, desc[i], driver[i], device[i], lastAvail[i], used[i]);
            }
            status = state.status();
            driverFeatures = state.driverFeatures();
            deviceFeaturesSel = state.deviceFeaturesSel();
            driverFeaturesSel = state.driverFeaturesSel();
            queueSel = state.queueSel();
            interruptStatus = state.interruptStatus();
            configGeneration = state.configGeneration();
            activity.restartLater(state.inflight());
            resumes = resumePending(); // none yet while quiesced (an incoming migration): on resume
            updateInterrupt();
        } finally {
            lock.unlock();
        }
        resumes.forEach(Runnable::run);
    }

    /** Re-reads the chains that were in flight at save time; the model processes them outside the lock. */
    private List<Runnable> resumePending() {
        List<Runnable> resumes = new ArrayList<>();
        for (int entry : activity.takeToRestart(wiring.memory() != null)) {
            VirtQueue q = queues[entry >>> 16];
            DescriptorChain chain = q.resume(entry & 0xFFFF);
            if (chain != null) {
                resumes.add(() -> runModel(q.index(), () -> model.resume(q, chain)));
            }
        }
        return resumes;
    }

    // ---- internals ----

    private VirtQueue selectedQueue(String register) {
        if (queueSel >= 0 && queueSel < queues.length) {
            return queues[queueSel];
        }
        if (register != null) {
            log().guestError("%s: %s written with QueueSel %d; the device has %d queue(s)",
                    name, register, Integer.toUnsignedLong(queueSel), queues.length);
        }
        return null;
    }

    private boolean configurable(VirtQueue q, String register) {
        if (q.ready()) {
            log().guestError("%s: %s written while queue %d is ready; ignored", name, register, q.index());
            return false;
        }
        return true;
    }

    private String featureRefusal() {
        long unknown = driverFeatures & ~offeredFeatures;
        if (unknown != 0) {
            return String.format("the driver accepted features 0x%x that the device does not offer", unknown);
        }
        if ((driverFeatures & Virtio.bit(F_VERSION_1)) == 0) {
            return "the driver did not accept VIRTIO_F_VERSION_1 (legacy drivers are not supported)";
        }
        return null;
    }

    /** Runs model code for the guest; a bug in it breaks this device, never the vCPU or the machine. */
    private void runModel(int queue, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, name + ": internal error", e);
            locked(() -> host.queueFailed(Math.max(queue, 0), "internal error: " + e));
        }
    }

    private long locked(java.util.function.LongSupplier action) {
        lock.lock();
        try {
            return action.getAsLong();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private void updateInterrupt() {
        if (activity.holdsCompletions()) {
            return; // the line follows InterruptStatus again on resume
        }
        wiring.irq().setLevel(interruptStatus != 0);
    }

    /** The transport side that queues call back into, under the lock. */
    private final class Host implements QueueHost {
        @Override
        public GuestMemory memory() {
            return wiring.memory();
        }

        @Override
        public boolean hasFeature(int bit) {
            return VirtioMmioDevice.this.hasFeature(bit);
        }

        @Override
        public boolean isBroken() {
            return (status & STATUS_DEVICE_NEEDS_RESET) != 0;
        }

        @Override
        public void queueFailed(int queue, String reason) {
            if (isBroken()) {
                return; // one line per failure: the first reason is the one that matters
            }
            status |= STATUS_DEVICE_NEEDS_RESET;
            log().guestError("%s: queue %d: %s; the device needs a reset", name, queue, reason);
            if ((status & STATUS_DRIVER_OK) != 0) {
                interruptStatus |= INTERRUPT_CONFIG_CHANGE;
                updateInterrupt();
            }
            activity.chainDone(); // chains dropped by a broken queue no longer hold up a reset
        }

        @Override
        public void raiseUsedBuffer() {
            interruptStatus |= INTERRUPT_USED_BUFFER;
            updateInterrupt();
        }

        @Override
        public void chainReleased() {
            activity.chainDone();
        }

        @Override
        public DeviceActivity activity() {
            return activity;
        }
    }
}
