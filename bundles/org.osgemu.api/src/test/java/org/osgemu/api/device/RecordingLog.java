package org.osgemu.api.device;

import java.util.ArrayList;
import java.util.List;

/** A {@link GuestErrorLog} that keeps every formatted message, so tests can see what the guest was told off for. */
final class RecordingLog implements GuestErrorLog {

    final List<String> messages = new ArrayList<>();

    @Override
    public void guestError(String format, Object... args) {
        messages.add(String.format(format, args));
    }

    /** The only message logged; fails when there is none or more than one. */
    String single() {
        if (messages.size() != 1) {
            throw new AssertionError("expected one guest error, got " + messages);
        }
        return messages.get(0);
    }
}
