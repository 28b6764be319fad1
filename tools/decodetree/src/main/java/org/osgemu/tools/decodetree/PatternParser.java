package org.osgemu.tools.decodetree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgemu.tools.decodetree.Lexer.Token;
import org.osgemu.tools.decodetree.Spec.ArgSet;
import org.osgemu.tools.decodetree.Spec.ConstValue;
import org.osgemu.tools.decodetree.Spec.FieldDef;
import org.osgemu.tools.decodetree.Spec.FieldValue;
import org.osgemu.tools.decodetree.Spec.Format;
import org.osgemu.tools.decodetree.Spec.InlineValue;
import org.osgemu.tools.decodetree.Spec.Segment;
import org.osgemu.tools.decodetree.Spec.Value;

/** Reads format lines ({@code @name ...}) and pattern lines ({@code name ...}). */
final class PatternParser {
    private static final Pattern BITS = Pattern.compile("[01.\\-]+");
    private static final Pattern INLINE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*):(s?)(\\d+)");
    private static final Pattern CONST = Pattern.compile("(-?)(?:0[xX]([0-9a-fA-F]+)|(\\d+))");

    /** An inline field before its bit position is known. */
    private record Inline(int start, int len, boolean signed) {
    }

    /** What the tokens of one format or pattern line say. */
    private static final class Parts {
        final StringBuilder bitChars = new StringBuilder();
        int mask;
        int bits;
        Token formatRef;
        Format format;
        Token argsRef;
        ArgSet args;
        final Map<String, Object> assigns = new LinkedHashMap<>();
        final Map<String, Token> assignTokens = new HashMap<>();
    }

    private final Parser parser;

    PatternParser(Parser parser) {
        this.parser = parser;
    }

    /**
     * Parses a format definition.
     *
     * @param s the tokens, the first being {@code @name}
     * @return the format
     * @throws SpecException if the line is malformed
     */
    Format format(List<Token> s) throws SpecException {
        Token head = s.getFirst();
        String name = Parser.definedName(head, "format");
        Parts parts = parts(s, true, "format @" + name);
        Map<String, Value> assigns = values(parts);
        ArgSet args = parts.args;
        if (args == null) {
            args = parser.implicitArgSet(name, new ArrayList<>(assigns.keySet()), head.pos());
        } else {
            checkMembers(assigns, parts.assignTokens, args, head);
        }
        return new Format(name, parts.mask, parts.bits, args, assigns, head.pos());
    }

    /**
     * Parses a pattern.
     *
     * @param s the tokens, the first being the pattern's name
     * @return the pattern
     * @throws SpecException if the line is malformed
     */
    Spec.Pattern pattern(List<Token> s) throws SpecException {
        Token head = s.getFirst();
        String name = head.text();
        Parts parts = parts(s, false, "pattern " + name);
        int mask = parts.mask;
        int bits = parts.bits;
        Map<String, Value> assigns = new LinkedHashMap<>();
        Format fmt = parts.format;
        if (fmt != null) {
            int conflict = fmt.mask() & mask & (fmt.bits() ^ bits);
            if (conflict != 0) {
                throw new SpecException(parts.formatRef.pos(), "pattern " + name + " and format @"
                        + fmt.name() + " fix bit " + Integer.numberOfTrailingZeros(conflict)
                        + " to different values");
            }
            mask |= fmt.mask();
            bits |= fmt.bits();
            assigns.putAll(fmt.assigns());
        }
        assigns.putAll(values(parts));
        ArgSet args = parts.args;
        if (args == null) {
            args = fmt != null ? fmt.args()
                    : parser.implicitArgSet(name, new ArrayList<>(assigns.keySet()), head.pos());
        }
        Map<String, Token> tokens = new HashMap<>(parts.assignTokens);
        if (fmt != null) {
            for (String k : fmt.assigns().keySet()) {
                tokens.putIfAbsent(k, parts.formatRef);
            }
        }
        checkMembers(assigns, tokens, args, head);
        Map<String, Value> ordered = new LinkedHashMap<>();
        for (String m : args.members) {
            Value v = assigns.get(m);
            if (v == null) {
                throw new SpecException(head.pos(), "argument set member " + m + " of "
                        + describe(args) + " is not assigned by pattern " + name);
            }
            ordered.put(m, v);
        }
        return new Spec.Pattern(name, mask, bits, fmt, args, ordered, head.pos());
    }

    private Parts parts(List<Token> s, boolean isFormat, String what) throws SpecException {
        Parts parts = new Parts();
        for (Token t : s.subList(1, s.size())) {
            String x = t.text();
            Matcher m;
            if (x.startsWith("@") && !isFormat) {
                if (parts.formatRef != null) {
                    throw new SpecException(t.pos(), "second format reference " + x);
                }
                parts.formatRef = t;
                parts.format = parser.formats.get(x.substring(1));
                if (parts.format == null) {
                    throw new SpecException(t.pos(), "unknown format " + x);
                }
            } else if (x.startsWith("&")) {
                if (parts.argsRef != null) {
                    throw new SpecException(t.pos(), "second argument set reference " + x);
                }
                parts.argsRef = t;
                parts.args = parser.argSets.get(x.substring(1));
                if (parts.args == null) {
                    throw new SpecException(t.pos(), "unknown argument set " + x);
                }
            } else if (x.startsWith("%")) {
                assign(parts, t, x.substring(1), field(t, x, 0));
            } else if (x.indexOf('=') > 0) {
                int eq = x.indexOf('=');
                String rhs = x.substring(eq + 1);
                Object value;
                if (rhs.startsWith("%")) {
                    value = field(t, rhs, eq + 1);
                } else if ((m = CONST.matcher(rhs)).matches()) {
                    value = new ConstValue(constant(t, m));
                } else {
                    throw new SpecException(t.pos(), "bad token '" + x + "'");
                }
                assign(parts, t, x.substring(0, eq), value);
            } else if (BITS.matcher(x).matches()) {
                parts.bitChars.append(x);
            } else if ((m = INLINE.matcher(x)).matches()) {
                int len = m.group(3).length() > 2 ? 99 : Integer.parseInt(m.group(3));
                if (len < 1 || len > 32) {
                    throw new SpecException(t.pos(), "field segment " + x + " out of range for "
                            + parser.width + "-bit instructions");
                }
                assign(parts, t, m.group(1), new Inline(parts.bitChars.length(), len, !m.group(2).isEmpty()));
                parts.bitChars.append(".".repeat(len));
            } else {
                throw new SpecException(t.pos(), "bad token '" + x + "'");
            }
        }
        int n = parts.bitChars.length();
        if (n != parser.width) {
            throw new SpecException(s.getFirst().pos(), what + " has " + n + " bits, expected "
                    + parser.width);
        }
        for (int i = 0; i < n; i++) {
            char c = parts.bitChars.charAt(i);
            int bit = 1 << (n - 1 - i);
            if (c == '0' || c == '1') {
                parts.mask |= bit;
                parts.bits |= c == '1' ? bit : 0;
            }
        }
        return parts;
    }

    private FieldDef field(Token t, String ref, int offset) throws SpecException {
        FieldDef f = parser.fields.get(ref.substring(1));
        if (f == null) {
            SpecException.Pos p = t.pos();
            throw new SpecException(new SpecException.Pos(p.file(), p.line(), p.column() + offset),
                    "unknown field " + ref);
        }
        return f;
    }

    private static int constant(Token t, Matcher m) throws SpecException {
        String digits = m.group(2) != null ? m.group(2) : m.group(3);
        long v;
        try {
            v = Long.parseLong(digits, m.group(2) != null ? 16 : 10);
        } catch (NumberFormatException e) {
            v = Long.MAX_VALUE;
        }
        if (v > 0xffff_ffffL) {
            throw new SpecException(t.pos(), "constant out of range in '" + t.text() + "'");
        }
        return m.group(1).isEmpty() ? (int) v : (int) -v;
    }

    private static void assign(Parts parts, Token t, String name, Object value) throws SpecException {
        if (!Names.isIdent(name)) {
            throw new SpecException(t.pos(), "bad token '" + t.text() + "'");
        }
        if (Names.isReserved(name)) {
            throw new SpecException(t.pos(), "'" + name
                    + "' cannot be an argument name: it is reserved in Java");
        }
        if (parts.assigns.containsKey(name)) {
            throw new SpecException(t.pos(), name + " is assigned twice");
        }
        parts.assigns.put(name, value);
        parts.assignTokens.put(name, t);
    }

    /** Turns the raw assignments into values, placing inline fields. */
    private Map<String, Value> values(Parts parts) {
        Map<String, Value> out = new LinkedHashMap<>();
        int width = parser.width;
        parts.assigns.forEach((k, v) -> out.put(k, switch (v) {
            case Inline i -> new InlineValue(new Segment(width - i.start() - i.len(), i.len(), i.signed()));
            case FieldDef f -> new FieldValue(f);
            case Value val -> val;
            default -> throw new IllegalStateException(String.valueOf(v));
        }));
        return out;
    }

    private static void checkMembers(Map<String, Value> assigns, Map<String, Token> tokens, ArgSet args,
                                     Token head) throws SpecException {
        for (String k : assigns.keySet()) {
            if (!args.members.contains(k)) {
                Token t = tokens.getOrDefault(k, head);
                throw new SpecException(t.pos(), k + " is not a member of " + describe(args));
            }
        }
    }

    /** @return how messages name an argument set */
    static String describe(ArgSet a) {
        return a.implicit ? "the implicit argument set of " + a.name : "argument set &" + a.name;
    }
}
