package org.osgemu.api.command;

/** The error classes QMP reports in {@code error.class}, named as QEMU's {@code QapiErrorClass}. */
public enum ErrorClass {
    /** Any failure without a class of its own (most errors). */
    GENERIC_ERROR("GenericError"),
    /** The command does not exist (or not yet: before capabilities negotiation). */
    COMMAND_NOT_FOUND("CommandNotFound"),
    /** A device exists but is not active. */
    DEVICE_NOT_ACTIVE("DeviceNotActive"),
    /** No device (or QOM path) has the given name. */
    DEVICE_NOT_FOUND("DeviceNotFound"),
    /** The accelerator lacks a capability (kept for QEMU compatibility; osgemu has no KVM). */
    KVM_MISSING_CAP("KVMMissingCap");

    private final String wireName;

    ErrorClass(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code GenericError}. */
    public String wireName() {
        return wireName;
    }
}
