package org.osgemu.api.migration;

/**
 * The kinds of stream section that carry a handler's data, with QEMU's wire codes. A live
 * handler sends one START, any number of PART and one END; any other handler one FULL.
 */
public enum SectionType {
    /** First section of a live handler: names it (id string, instance, version). */
    START(0x01),
    /** A further chunk of a live handler, sent while the machine may still run. */
    PART(0x02),
    /** The last chunk of a live handler, sent with the machine stopped. */
    END(0x03),
    /** The whole state of a handler in one section (devices, CPUs, the clock). */
    FULL(0x04);

    private final int code;

    SectionType(int code) {
        this.code = code;
    }

    /** The byte that opens such a section in the stream. */
    public int code() {
        return code;
    }

    /** Whether sections of this type carry the handler's id string, instance id and version. */
    public boolean namesHandler() {
        return this == START || this == FULL;
    }

    /** The type whose code is {@code code}, or null when no section type has it. */
    public static SectionType ofCode(int code) {
        for (SectionType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
