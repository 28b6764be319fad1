package org.osgemu.api.device;

/**
 * A part of a machine that works on threads of its own and so must be told when the machine stops
 * running (QEMU's VM state change handlers, with the drain of {@code vm_stop}): a device whose
 * host I/O completes on worker threads, that takes frames from a network or input from a chardev,
 * writes guest memory by DMA or raises interrupts. The machine calls {@link #quiesce()} on each of
 * its {@link Device devices} implementing this interface once its vCPUs have stopped, on every path
 * that leaves the running state (stop, the stop of a migration or snapshot, shutdown, a vCPU
 * failure), and {@link #resume()} before its vCPUs run again (cont, the start of a machine, a
 * migrated machine going on on either side). A machine that has not run yet (prelaunch,
 * {@code -S}, {@code -incoming}) quiesces a device as soon as it is added, so that nothing is
 * written to guest memory before the first run: not even while a migration loads the state.
 *
 * <p>Why it matters: a migration or a snapshot saves RAM first and the devices' state after. A
 * request a device completed in between would be in neither: the guest would lose it.
 *
 * <p>Calls come from a control thread, never from a vCPU, one at a time and alternating (a
 * second {@code quiesce} without a {@code resume} in between does not happen; implementations
 * still make both idempotent). The order is fixed: devices resume in the order they were added to
 * the machine and quiesce in the reverse order. A call that throws is logged and the others are
 * still made. A device reset or a state load between the two calls leaves the device quiesced.
 */
public interface Quiescable {

    /**
     * Returns once every DMA in flight (host I/O that will write guest memory) has finished and
     * the device will start no new one, write nothing to guest memory and raise no interrupt until
     * {@link #resume()}. Input from outside (network frames, chardev bytes) stays in its backend.
     * May wait for host I/O, for a bounded time; work that is still running then is kept so that it
     * is not lost (a virtio device keeps such a request in flight for the migration stream).
     */
    void quiesce();

    /**
     * The machine is about to run: the device publishes what it held back (completions,
     * interrupts), processes the notifications the guest left while it was quiesced, and takes input
     * again. Returns before the vCPUs run.
     */
    void resume();
}
