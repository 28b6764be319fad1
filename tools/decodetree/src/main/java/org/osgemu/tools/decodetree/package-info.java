/**
 * A build-time generator that turns an instruction decode spec, in the
 * format of QEMU's decodetree, into the Java source of a decoder.
 *
 * <h2>Running it</h2>
 * {@code java org.osgemu.tools.decodetree.Main --spec FILE --out DIR --package PKG
 * --class NAME [--insnwidth 16|32] [--functions FQCN] [--extern-args FQCN]}
 * writes {@code DIR/PKG-as-path/NAME.java} and nothing else. On error it
 * prints one line to standard error ({@code file:line:column: message} for a
 * spec problem) and exits with status 1. From code, use {@link
 * org.osgemu.tools.decodetree.Generator#generate}.
 *
 * <h2>Spec format</h2>
 * <ul>
 * <li>{@code #} starts a comment; a {@code \} at the end of a line continues
 * it on the next.</li>
 * <li>Field: {@code %name pos:len ... [<<N] [!function=fn]}. Segments are
 * concatenated most significant first; {@code pos:slen} (or {@code spos:len})
 * sign-extends, allowed on the first segment only. {@code <<N} (an
 * extension) shifts the result left; {@code fn} is then applied: a static
 * {@code int fn(int)} of the {@code --functions} class, or a fully qualified
 * {@code pkg.Class.fn}. A field with no segments, {@code %x !function=fn},
 * calls {@code fn} with the whole instruction word.</li>
 * <li>Argument set: {@code &name member... [!extern]} becomes
 * {@code public record ArgsName(int member, ...)} (CamelCase of the set
 * name). With {@code --extern-args FQCN} an {@code !extern} set is not
 * emitted: {@code FQCN.ArgsName} is used instead, so that e.g. a 16-bit and a
 * 32-bit decoder can share records and translator methods.</li>
 * <li>Format: {@code @name bits... [&args] refs...}; pattern:
 * {@code name bits... [@format] [&args] refs...}. Bits are {@code 0},
 * {@code 1}, {@code .} or {@code -} (don't care), and inline fields
 * {@code name:len} / {@code name:slen}; refs are {@code %field},
 * {@code name=%field} and {@code name=const} (decimal or {@code 0x} hex,
 * optionally negative). A pattern's fixed bits are merged with its format's;
 * its assignments override the format's. A format or pattern without
 * {@code &args} gets an implicit set of the arguments it assigns (reusing an
 * existing set with the same members, else named after the format or
 * pattern); a pattern with a format uses the format's set.</li>
 * <li>Groups: {@code { ... }} members may overlap and are tried in order; a
 * translator method returning false falls through to the next member.
 * {@code [ ... ]} members, like the top level, must not overlap. Groups
 * nest.</li>
 * </ul>
 *
 * <h2>Generated class</h2>
 * One {@code ArgsX} record per argument set, a {@code Translator} interface
 * with one {@code boolean trans_name(ArgsX a)} per distinct pattern name and
 * argument set, and {@code public static boolean decode(Translator t, int insn)}
 * returning false when no pattern matched or every matching translator
 * method returned false. Dispatch switches on the bits fixed by all members
 * of a no-overlap group, recursively.
 */
package org.osgemu.tools.decodetree;
