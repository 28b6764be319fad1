package org.osgemu.device.bigstate;

import java.util.Locale;

import org.osgemu.api.device.Device;
import org.osgemu.api.device.DeviceConfigs;
import org.osgemu.api.device.PlatformDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/** One bigstate device per factory configuration of {@code osgemu.device.bigstate}. */
@Component(immediate = true, service = PlatformDevice.class, configurationPid = BigStateComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = Device.TYPE + "=" + BigStateDevice.TYPE)
public final class BigStateComponent extends BigStateDevice {

    public static final String PID = "osgemu.device.bigstate";

    @Activate
    public BigStateComponent(BigStateConfig config) {
        super(DeviceConfigs.checkedId(PID, config.id(), config.machine()), size("size", config.size(), "64M"), size("dirty-rate", config.dirty$_$rate(), "1M"),
                config.index$_$rounds() == 0 ? 16 : config.index$_$rounds());
    }

    @Deactivate
    void deactivate() {
        close();
    }

    /** A size as -device gives it: bytes, or a number with K, M or G. */
    static long size(String property, String value, String absent) {
        String v = (value == null || value.isBlank() ? absent : value).trim().toUpperCase(Locale.ROOT);
        long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(PID + ": " + property + "=" + value + " is not a size (e.g. 64M)");
        }
    }
}
