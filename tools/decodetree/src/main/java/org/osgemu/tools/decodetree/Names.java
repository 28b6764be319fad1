package org.osgemu.tools.decodetree;

import java.util.Set;
import java.util.regex.Pattern;

/** Identifier rules shared by the parser and the emitter. */
final class Names {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
            "const", "continue", "default", "do", "double", "else", "enum", "extends", "final",
            "finally", "float", "for", "goto", "if", "implements", "import", "instanceof", "int",
            "interface", "long", "native", "new", "package", "private", "protected", "public",
            "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
            "null", "_", "var", "yield", "record");

    /** Methods of Object that a record component's accessor would clash with. */
    private static final Set<String> OBJECT_METHODS = Set.of(
            "clone", "equals", "finalize", "getClass", "hashCode", "notify", "notifyAll",
            "toString", "wait");

    private Names() {
    }

    /** @return whether {@code s} is a decodetree identifier */
    static boolean isIdent(String s) {
        return IDENT.matcher(s).matches() && !s.equals("_");
    }

    /** @return whether {@code s} cannot be a Java record component name */
    static boolean isReserved(String s) {
        return KEYWORDS.contains(s) || OBJECT_METHODS.contains(s);
    }

    /** @return whether {@code s} is a valid Java qualified name (package or class) */
    static boolean isQualified(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (String part : s.split("\\.", -1)) {
            if (!IDENT.matcher(part).matches() || KEYWORDS.contains(part)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Turns {@code snake_name} into {@code SnakeName}.
     *
     * @param name a decodetree identifier
     * @return the CamelCase form
     */
    static String camel(String name) {
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("_")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.isEmpty() ? "X" : sb.toString();
    }
}
