package org.osgemu.api.machine;

/** Why a machine shut down or reset, named as QEMU's QAPI {@code ShutdownCause} values. */
public enum ShutdownCause {
    NONE("none", false),
    HOST_ERROR("host-error", false),
    HOST_QMP_QUIT("host-qmp-quit", false),
    HOST_QMP_SYSTEM_RESET("host-qmp-system-reset", false),
    HOST_SIGNAL("host-signal", false),
    HOST_UI("host-ui", false),
    GUEST_SHUTDOWN("guest-shutdown", true),
    GUEST_RESET("guest-reset", true),
    GUEST_PANIC("guest-panic", true),
    SUBSYSTEM_RESET("subsystem-reset", false);

    private final String qapiName;
    private final boolean guest;

    ShutdownCause(String qapiName, boolean guest) {
        this.qapiName = qapiName;
        this.guest = guest;
    }

    public String qapiName() {
        return qapiName;
    }

    /** Whether the guest asked for it. */
    public boolean isGuest() {
        return guest;
    }
}
