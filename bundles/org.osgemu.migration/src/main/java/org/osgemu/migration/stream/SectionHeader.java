package org.osgemu.migration.stream;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a START or FULL section says about the handler it belongs to. PART and END sections
 * carry only the section id and inherit the rest from their START.
 *
 * @param sectionId number of the section in the stream: 0, 1, 2... in order of first appearance
 * @param idString the handler's id string ({@code ram}, {@code clint}), 1 to 255 bytes of UTF-8
 * @param instanceId tells apart handlers with the same id string
 * @param version the version of the handler's data
 * @param label which instance: a device id, a RAM block name; up to 255 bytes of UTF-8
 */
public record SectionHeader(int sectionId, String idString, int instanceId, int version, String label) {

    /** The id string of RAM sections; their label is the block name. */
    public static final String RAM = "ram";

    public SectionHeader {
        Objects.requireNonNull(idString, "idString");
        Objects.requireNonNull(label, "label");
        int idBytes = idString.getBytes(StandardCharsets.UTF_8).length;
        if (idBytes == 0 || idBytes > StreamFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("section id string '" + idString + "' must be 1 to "
                    + StreamFormat.MAX_NAME_BYTES + " bytes of UTF-8, not " + idBytes);
        }
        if (label.getBytes(StandardCharsets.UTF_8).length > StreamFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("section '" + idString + "': label '" + label + "' is longer than "
                    + StreamFormat.MAX_NAME_BYTES + " bytes of UTF-8");
        }
    }

    /** How messages name this section, e.g. {@code section 'clint' (clint0)}. */
    public String describe() {
        return describe(idString, label);
    }

    /**
     * How messages name a section: {@code section 'ns16550a' (uart0)}, {@code section 'ram' (block
     * riscv.virt.ram)}, or {@code section 'x'} without a label.
     */
    public static String describe(String idString, String label) {
        if (label.isEmpty()) {
            return "section '" + idString + "'";
        }
        return "section '" + idString + "' (" + (RAM.equals(idString) ? "block " : "") + label + ")";
    }
}
