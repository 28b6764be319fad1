package org.osgemu.api.vmstate;

/**
 * One named, typed field of a {@link VMStateDescription}.
 *
 * @param name name of the field, equal to the record component it binds to
 * @param type wire type
 * @param length for sequences: the fixed element count, or -1 for a count sent before the data
 * @param maxLength for variable sequences: the largest count a loader accepts
 * @param sinceVersion the description version that added the field; older streams lack it and
 *                     load it as zero / empty
 */
public record VMStateField(String name, FieldType type, int length, int maxLength, int sinceVersion) {

    public VMStateField {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("VMState field without a name");
        }
        if (!type.isSequence() && length != 0) {
            throw new IllegalArgumentException("VMState field " + name + ": " + type + " has no length");
        }
        if (type.isSequence() && length < -1) {
            throw new IllegalArgumentException("VMState field " + name + ": bad length " + length);
        }
        if (sinceVersion < 1) {
            throw new IllegalArgumentException("VMState field " + name + ": versions start at 1");
        }
    }
}
