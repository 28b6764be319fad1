package org.osgemu.api.machine;

/** Service of the core that makes {@link MachineRuntime}s for boards. */
public interface MachineRuntimeFactory {

    /** A new runtime in state PRELAUNCH for machine {@code name} of board type {@code machineType}. */
    MachineRuntime create(String name, String machineType);
}
