package org.osgemu.tools.decodetree;

import java.util.Objects;

/**
 * Entry point for use from code: turns the text of a decode spec into the
 * source of one Java compilation unit.
 *
 * <p>The generated class {@code NAME} holds one record per argument set
 * ({@code ArgsX}), a {@code Translator} interface with one
 * {@code boolean trans_name(ArgsX a)} method per pattern name and argument
 * set, and {@code static boolean decode(Translator t, int insn)}.
 */
public final class Generator {
    private Generator() {
    }

    /**
     * What to generate.
     *
     * @param packageName    package of the generated class; empty for none
     * @param className      simple name of the generated class
     * @param insnWidth      instruction width in bits, 16 or 32
     * @param functionsClass fully qualified class holding the static
     *                       {@code int fn(int)} methods named by
     *                       {@code !function=fn}, or null
     * @param externArgsClass fully qualified class whose nested records are
     *                       used for {@code !extern} argument sets instead of
     *                       emitting them, or null to emit them here
     */
    public record Options(String packageName, String className, int insnWidth,
                          String functionsClass, String externArgsClass) {
        /**
         * Checks the options.
         *
         * @throws IllegalArgumentException if a name or the width is invalid
         */
        public Options {
            Objects.requireNonNull(packageName, "packageName");
            Objects.requireNonNull(className, "className");
            if (!packageName.isEmpty() && !Names.isQualified(packageName)) {
                throw new IllegalArgumentException("bad package name: " + packageName);
            }
            if (!Names.isQualified(className) || className.contains(".")) {
                throw new IllegalArgumentException("bad class name: " + className);
            }
            if (insnWidth != 16 && insnWidth != 32) {
                throw new IllegalArgumentException("instruction width must be 16 or 32: " + insnWidth);
            }
            if (functionsClass != null && !Names.isQualified(functionsClass)) {
                throw new IllegalArgumentException("bad functions class: " + functionsClass);
            }
            if (externArgsClass != null && !Names.isQualified(externArgsClass)) {
                throw new IllegalArgumentException("bad extern args class: " + externArgsClass);
            }
        }

        /**
         * Options with a 32-bit width and neither functions nor extern class.
         *
         * @param packageName package of the generated class
         * @param className   simple name of the generated class
         * @return the options
         */
        public static Options of(String packageName, String className) {
            return new Options(packageName, className, 32, null, null);
        }
    }

    /**
     * Parses, checks and translates a spec.
     *
     * @param fileName name of the spec, used in messages and comments
     * @param specText the spec
     * @param options  what to generate
     * @return the Java source of the decoder class
     * @throws SpecException if the spec is malformed
     */
    public static String generate(String fileName, String specText, Options options) throws SpecException {
        Spec spec = Parser.parse(fileName, specText, options.insnWidth());
        return new JavaEmitter(spec, options).emit();
    }
}
