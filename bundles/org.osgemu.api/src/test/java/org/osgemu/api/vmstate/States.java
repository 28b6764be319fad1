package org.osgemu.api.vmstate;

/**
 * State records the VMState tests bind descriptions to. Public, as
 * {@link VMStateDescription} reaches record constructors through the public lookup.
 */
public final class States {

    private States() {}

    /** One component of every field type. */
    public record Everything(boolean flag, int u8, int u16, int u32, long u32AsLong, int i32, long u64, long i64,
                             byte[] fixedBytes, byte[] moreBytes, int[] fixedWords, int[] moreWords,
                             long[] fixedLongs, long[] moreLongs, String text) {}

    /** Two bytes, the second added in version 2. */
    public record Grown(int old, int added) {}

    /** Version 3 added one field of each kind that has its own zero. */
    public record Extended(int base, boolean flag, long counter, byte[] fixed, int[] variable, String text) {}

    /** A record that checks its own invariant, as device states do. */
    public record Checked(int size) {
        public Checked {
            if (size > 16) {
                throw new IllegalArgumentException("size " + size + " is above 16");
            }
        }
    }

    /** A u8 bound to a long, which the builder must refuse. */
    public record WrongType(long value) {}

    /** Components named other than the fields declared for them. */
    public record Pair(int first, int second) {}

    /** Not public: the description cannot build it. */
    record Hidden(int value) {}
}
