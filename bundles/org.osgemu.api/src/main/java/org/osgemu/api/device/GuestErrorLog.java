package org.osgemu.api.device;

/**
 * The one channel for guest mistakes (QEMU's {@code LOG_GUEST_ERROR}): a bad register offset,
 * a reserved value. Rate-limited by the implementation; never throws.
 */
@FunctionalInterface
public interface GuestErrorLog {

    /** A log that drops everything. */
    GuestErrorLog NONE = (format, args) -> { };

    /** Logs a guest mistake; {@code format} is a {@link String#format} pattern. */
    void guestError(String format, Object... args);
}
