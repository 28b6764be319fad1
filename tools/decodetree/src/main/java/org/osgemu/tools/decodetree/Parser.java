package org.osgemu.tools.decodetree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgemu.tools.decodetree.Lexer.Token;
import org.osgemu.tools.decodetree.SpecException.Pos;
import org.osgemu.tools.decodetree.Spec.ArgSet;
import org.osgemu.tools.decodetree.Spec.FieldDef;
import org.osgemu.tools.decodetree.Spec.Format;
import org.osgemu.tools.decodetree.Spec.Group;
import org.osgemu.tools.decodetree.Spec.Node;
import org.osgemu.tools.decodetree.Spec.Segment;

/**
 * Reads a decode spec: definitions of fields, argument sets and formats, and
 * the patterns arranged in groups. Formats and patterns are handled by
 * {@link PatternParser}; whole-spec checks by {@link SpecChecks}.
 */
final class Parser {
    private static final Pattern SEGMENT = Pattern.compile("(s?)(\\d+):(s?)(\\d+)");
    private static final Pattern SHIFT = Pattern.compile("<<(\\d+)");
    private static final String FUNCTION = "!function=";

    /** An open group while its members are read. */
    private record OpenGroup(boolean overlap, Token open, List<Node> children) {
    }

    final String file;
    final int width;
    final Map<String, FieldDef> fields = new LinkedHashMap<>();
    final Map<String, ArgSet> argSets = new LinkedHashMap<>();
    final List<ArgSet> allArgSets = new ArrayList<>();
    final Map<String, Format> formats = new LinkedHashMap<>();
    private final Deque<OpenGroup> groups = new ArrayDeque<>();
    private final PatternParser patterns = new PatternParser(this);

    private Parser(String file, int width) {
        this.file = file;
        this.width = width;
        groups.push(new OpenGroup(false, null, new ArrayList<>()));
    }

    /**
     * Parses and checks a spec.
     *
     * @param file  the file name used in messages
     * @param text  the spec
     * @param width instruction width, 16 or 32
     * @return the spec
     * @throws SpecException on the first problem found
     */
    static Spec parse(String file, String text, int width) throws SpecException {
        if (width != 16 && width != 32) {
            throw new IllegalArgumentException("instruction width must be 16 or 32: " + width);
        }
        Parser p = new Parser(file, width);
        for (List<Token> line : Lexer.lines(file, text)) {
            p.line(line);
        }
        return p.finish();
    }

    private void line(List<Token> tokens) throws SpecException {
        List<Token> statement = new ArrayList<>();
        for (Token t : tokens) {
            switch (t.text()) {
                case "{", "[", "}", "]" -> {
                    statement(statement);
                    statement.clear();
                    bracket(t);
                }
                default -> statement.add(t);
            }
        }
        statement(statement);
    }

    private void statement(List<Token> s) throws SpecException {
        if (s.isEmpty()) {
            return;
        }
        Token first = s.getFirst();
        String text = first.text();
        switch (text.charAt(0)) {
            case '%' -> field(s);
            case '&' -> argSet(s);
            case '@' -> putFormat(patterns.format(s));
            default -> {
                if (!Names.isIdent(text)) {
                    throw new SpecException(first.pos(), "bad token '" + text + "'");
                }
                groups.peek().children().add(patterns.pattern(s));
            }
        }
    }

    private void bracket(Token t) throws SpecException {
        switch (t.text()) {
            case "{" -> groups.push(new OpenGroup(true, t, new ArrayList<>()));
            case "[" -> groups.push(new OpenGroup(false, t, new ArrayList<>()));
            default -> {
                OpenGroup top = groups.peek();
                if (top.open() == null) {
                    throw new SpecException(t.pos(), "unbalanced '" + t.text() + "': no group is open");
                }
                String expected = top.overlap() ? "}" : "]";
                if (!expected.equals(t.text())) {
                    throw new SpecException(t.pos(), "'" + t.text() + "' does not close '"
                            + top.open().text() + "' opened at " + top.open().pos());
                }
                groups.pop();
                if (!top.children().isEmpty()) {
                    groups.peek().children().add(
                            new Group(top.overlap(), List.copyOf(top.children()), top.open().pos()));
                }
            }
        }
    }

    private Spec finish() throws SpecException {
        OpenGroup top = groups.peek();
        if (top.open() != null) {
            throw new SpecException(top.open().pos(), "unbalanced '" + top.open().text()
                    + "': group is never closed");
        }
        Group root = new Group(false, List.copyOf(top.children()), new Pos(file, 1, 1));
        SpecChecks.nameArgSets(allArgSets);
        SpecChecks.checkOverlaps(root);
        return new Spec(file, width, List.copyOf(fields.values()), List.copyOf(allArgSets),
                List.copyOf(formats.values()), root);
    }

    // ---- fields -------------------------------------------------------------

    private void field(List<Token> s) throws SpecException {
        Token head = s.getFirst();
        String name = definedName(head, "field");
        if (fields.containsKey(name)) {
            throw duplicate(head, "field %" + name, fields.get(name).pos());
        }
        List<Segment> segments = new ArrayList<>();
        int shift = 0;
        String function = null;
        for (Token t : s.subList(1, s.size())) {
            String x = t.text();
            Matcher m;
            if (x.startsWith(FUNCTION)) {
                String fn = x.substring(FUNCTION.length());
                if (function != null || !Names.isQualified(fn)) {
                    throw new SpecException(t.pos(), "bad token '" + x + "'");
                }
                function = fn;
            } else if ((m = SHIFT.matcher(x)).matches()) {
                shift = Integer.parseInt(m.group(1));
                if (shift > 31) {
                    throw new SpecException(t.pos(), "shift " + x + " out of range");
                }
            } else if ((m = SEGMENT.matcher(x)).matches()) {
                segments.add(segment(t, m, segments.isEmpty()));
            } else {
                throw new SpecException(t.pos(), "bad token '" + x + "' in field definition");
            }
        }
        FieldDef f = new FieldDef(name, List.copyOf(segments), shift, function, head.pos());
        if (segments.isEmpty() && function == null) {
            throw new SpecException(head.pos(), "field %" + name + " has no segments and no !function");
        }
        if (f.width() > 32) {
            throw new SpecException(head.pos(), "field %" + name + " is " + f.width()
                    + " bits wide, more than 32");
        }
        fields.put(name, f);
    }

    private Segment segment(Token t, Matcher m, boolean first) throws SpecException {
        boolean signed = !m.group(1).isEmpty() || !m.group(3).isEmpty();
        if (!m.group(1).isEmpty() && !m.group(3).isEmpty()) {
            throw new SpecException(t.pos(), "bad token '" + t.text() + "'");
        }
        int pos = parseSmall(m.group(2));
        int len = parseSmall(m.group(4));
        if (len < 1 || pos + len > width) {
            throw new SpecException(t.pos(), "field segment " + t.text() + " out of range for "
                    + width + "-bit instructions");
        }
        if (signed && !first) {
            throw new SpecException(t.pos(), "only the first (most significant) segment may be signed");
        }
        return new Segment(pos, len, signed);
    }

    private static int parseSmall(String digits) {
        return digits.length() > 3 ? Integer.MAX_VALUE / 2 : Integer.parseInt(digits);
    }

    // ---- argument sets ------------------------------------------------------

    private void argSet(List<Token> s) throws SpecException {
        Token head = s.getFirst();
        String name = definedName(head, "argument set");
        if (argSets.containsKey(name)) {
            throw duplicate(head, "argument set &" + name, argSets.get(name).pos);
        }
        List<String> members = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean extern = false;
        for (Token t : s.subList(1, s.size())) {
            String x = t.text();
            if (x.equals("!extern")) {
                extern = true;
            } else if (!Names.isIdent(x)) {
                throw new SpecException(t.pos(), "bad token '" + x + "' in argument set");
            } else if (Names.isReserved(x)) {
                throw new SpecException(t.pos(), "'" + x
                        + "' cannot be an argument name: it is reserved in Java");
            } else if (!seen.add(x)) {
                throw new SpecException(t.pos(), "duplicate member " + x + " in argument set &" + name);
            } else {
                members.add(x);
            }
        }
        ArgSet a = new ArgSet(name, members, extern, false, head.pos());
        argSets.put(name, a);
        allArgSets.add(a);
    }

    /**
     * Finds or makes the argument set inferred from a format's or pattern's
     * arguments: an existing set with the same members is reused.
     *
     * @param hint    the format or pattern name, used to name a new set
     * @param members the argument names
     * @param pos     where the format or pattern is defined
     * @return the set
     */
    ArgSet implicitArgSet(String hint, List<String> members, Pos pos) {
        Set<String> wanted = Set.copyOf(members);
        for (ArgSet a : allArgSets) {
            if (a.members.size() == members.size() && wanted.equals(Set.copyOf(a.members))) {
                return a;
            }
        }
        ArgSet a = new ArgSet(hint, members, false, true, pos);
        allArgSets.add(a);
        return a;
    }

    // ---- helpers ------------------------------------------------------------

    private void putFormat(Format f) throws SpecException {
        if (formats.containsKey(f.name())) {
            throw duplicate(new Token("@" + f.name(), f.pos()), "format @" + f.name(),
                    formats.get(f.name()).pos());
        }
        formats.put(f.name(), f);
    }

    /** @return the name after the sigil of a definition's first token */
    static String definedName(Token head, String what) throws SpecException {
        String name = head.text().substring(1);
        if (!Names.isIdent(name)) {
            throw new SpecException(head.pos(), "bad " + what + " name '" + head.text() + "'");
        }
        return name;
    }

    private static SpecException duplicate(Token at, String what, Pos first) {
        return new SpecException(at.pos(), "duplicate definition of " + what
                + " (first defined at " + first + ")");
    }
}
