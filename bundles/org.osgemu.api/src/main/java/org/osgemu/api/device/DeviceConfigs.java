package org.osgemu.api.device;

/**
 * Checks of the configuration every device component gets: DS fills absent properties with null,
 * whatever the annotation's default, so components check them in their constructor.
 */
public final class DeviceConfigs {

    private DeviceConfigs() {}

    /** {@code value}, or an exception naming the PID and the missing property. */
    public static String required(String pid, String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(pid + ": configuration property '" + property + "' is missing");
        }
        return value;
    }

    /** The instance id, after checking that both {@code machine} and {@code id} are given. */
    public static String checkedId(String pid, String id, String machine) {
        required(pid, "machine", machine);
        return required(pid, "id", id);
    }
}
