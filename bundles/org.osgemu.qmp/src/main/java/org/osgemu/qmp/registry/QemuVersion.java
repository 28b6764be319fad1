package org.osgemu.qmp.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The QEMU release whose QMP command set osgemu follows, reported by the greeting and by
 * {@code query-version}. Clients (libvirt among them) decide what to use by this number, so it
 * names QEMU's version, never ours; {@code package} is where osgemu says who it is.
 */
public final class QemuVersion {

    public static final int MAJOR = 8;
    public static final int MINOR = 2;
    public static final int MICRO = 0;
    /** QEMU's free-form package string: ours names osgemu and its version. */
    public static final String PACKAGE = "osgemu 0.1.0";

    private QemuVersion() {
    }

    /** The {@code VersionInfo} object: {@code {"qemu": {"micro", "minor", "major"}, "package"}}. */
    public static Map<String, Object> versionInfo() {
        Map<String, Object> triple = new LinkedHashMap<>();
        triple.put("micro", (long) MICRO);
        triple.put("minor", (long) MINOR);
        triple.put("major", (long) MAJOR);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("qemu", triple);
        info.put("package", PACKAGE);
        return info;
    }
}
