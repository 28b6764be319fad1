package org.osgemu.tools.decodetree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked contents of a decode spec: fields, argument sets,
 * formats and the tree of patterns and groups.
 *
 * @param file     the spec's file name, for comments in the output
 * @param width    instruction width in bits, 16 or 32
 * @param fields   named fields in definition order
 * @param argSets  argument sets in definition order, implicit ones included
 * @param formats  formats in definition order
 * @param root     the top level, a no-overlap group
 */
record Spec(String file, int width, List<FieldDef> fields, List<ArgSet> argSets,
            List<Format> formats, Group root) {

    /**
     * A run of instruction bits.
     *
     * @param pos    the least significant bit's index
     * @param len    number of bits, at least 1
     * @param signed whether the value is sign-extended
     */
    record Segment(int pos, int len, boolean signed) {
    }

    /**
     * A named field, {@code %name segments... [<<N] [!function=fn]}.
     *
     * @param name     the name without {@code %}
     * @param segments the bit runs, most significant first; may be empty
     * @param shift    left shift applied after concatenation
     * @param function the function applied last, or null
     * @param pos      where it is defined
     */
    record FieldDef(String name, List<Segment> segments, int shift, String function,
                    SpecException.Pos pos) {
        /** @return total width of the segments */
        int width() {
            return segments.stream().mapToInt(Segment::len).sum();
        }
    }

    /** An argument set, written {@code &name members...} or inferred. */
    static final class ArgSet {
        final String name;
        final List<String> members;
        final boolean extern;
        final boolean implicit;
        final SpecException.Pos pos;
        /** The Java record name, given once the whole spec is read. */
        String javaName;

        ArgSet(String name, List<String> members, boolean extern, boolean implicit,
               SpecException.Pos pos) {
            this.name = name;
            this.members = List.copyOf(members);
            this.extern = extern;
            this.implicit = implicit;
            this.pos = pos;
        }
    }

    /** The value a pattern assigns to one argument. */
    sealed interface Value permits FieldValue, InlineValue, ConstValue {
    }

    /**
     * A named field's value.
     *
     * @param field the field
     */
    record FieldValue(FieldDef field) implements Value {
    }

    /**
     * An inline field written in the bit pattern as {@code name:len}.
     *
     * @param segment the bits
     */
    record InlineValue(Segment segment) implements Value {
    }

    /**
     * A constant, {@code name=value}.
     *
     * @param value the value
     */
    record ConstValue(int value) implements Value {
    }

    /**
     * A format, {@code @name bits... refs...}.
     *
     * @param name    the name without {@code @}
     * @param mask    the bits the format fixes
     * @param bits    their values
     * @param args    its argument set, explicit or inferred
     * @param assigns the arguments it sets, by argument name
     * @param pos     where it is defined
     */
    record Format(String name, int mask, int bits, ArgSet args, Map<String, Value> assigns,
                  SpecException.Pos pos) {
    }

    /** A pattern or a group. */
    sealed interface Node permits Pattern, Group {
        /** @return the patterns under this node in order */
        List<Pattern> leaves();

        /** @return the bits fixed, to the same value, in every pattern under this node */
        default int commonMask() {
            List<Pattern> leaves = leaves();
            if (leaves.isEmpty()) {
                return 0;
            }
            int mask = -1;
            for (Pattern p : leaves) {
                mask &= p.mask();
            }
            int first = leaves.getFirst().bits();
            for (Pattern p : leaves) {
                mask &= ~(p.bits() ^ first);
            }
            return mask;
        }

        /** @return the values of the bits in {@link #commonMask()} */
        default int commonBits() {
            List<Pattern> leaves = leaves();
            return leaves.isEmpty() ? 0 : leaves.getFirst().bits() & commonMask();
        }
    }

    /**
     * One instruction encoding.
     *
     * @param name    the name; the translator method is {@code trans_name}
     * @param mask    the bits that must match
     * @param bits    their values
     * @param format  the format it refers to, or null
     * @param args    the argument set passed to the translator
     * @param assigns how each argument is computed, in argument-set order
     * @param pos     where it is defined
     */
    record Pattern(String name, int mask, int bits, Format format, ArgSet args,
                   Map<String, Value> assigns, SpecException.Pos pos) implements Node {
        @Override
        public List<Pattern> leaves() {
            return List.of(this);
        }

        /**
         * @param other another pattern
         * @return whether some instruction word matches both
         */
        boolean overlaps(Pattern other) {
            return ((bits ^ other.bits) & mask & other.mask) == 0;
        }
    }

    /**
     * A group of nodes.
     *
     * @param overlap  true for {@code { }} (tried in order, may overlap),
     *                 false for {@code [ ]} and the top level (must not overlap)
     * @param children the members in spec order
     * @param pos      where the group opens
     */
    record Group(boolean overlap, List<Node> children, SpecException.Pos pos) implements Node {
        @Override
        public List<Pattern> leaves() {
            List<Pattern> out = new ArrayList<>();
            for (Node n : children) {
                out.addAll(n.leaves());
            }
            return out;
        }
    }
}
