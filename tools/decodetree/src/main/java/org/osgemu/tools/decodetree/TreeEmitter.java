package org.osgemu.tools.decodetree;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgemu.tools.decodetree.Spec.Group;
import org.osgemu.tools.decodetree.Spec.Node;
import org.osgemu.tools.decodetree.Spec.Pattern;

/**
 * Writes {@code decode} and its helper methods.
 *
 * <p>Every piece of generated code follows one contract: it returns
 * {@code true} from the enclosing method when a pattern matched and its
 * translator method accepted the instruction, and otherwise falls out at the
 * bottom. Members of a no-overlap group are disjoint, so they are dispatched
 * with a {@code switch} on the bits that all of them fix; members of an
 * overlap group are tried one after another in spec order. A switch arm with
 * many patterns becomes a method of its own to keep methods small.
 */
final class TreeEmitter {
    /** Switch arms with more patterns than this get a method of their own. */
    private static final int SPLIT_LEAVES = 32;

    private final int width;
    private final Function<Pattern, String> call;
    private final List<CodeWriter> methods = new ArrayList<>();

    /**
     * @param width instruction width in bits
     * @param call  gives the expression invoking a pattern's translator method
     */
    TreeEmitter(int width, Function<Pattern, String> call) {
        this.width = width;
        this.call = call;
    }

    /** Writes {@code decode} and the helper methods it needs. */
    void emit(CodeWriter w, Group root) {
        w.line("");
        w.line("/**");
        w.line(" * Decodes one instruction and calls the translator method of the pattern");
        w.line(" * that matches it" + (width == 16 ? " (only the low 16 bits of {@code insn} are used)." : "."));
        w.line(" *");
        w.line(" * @param t    receives the decoded instruction");
        w.line(" * @param insn the instruction word");
        w.line(" * @return {@code false} if no pattern matched or every matching translator");
        w.line(" *         method returned {@code false}");
        w.line(" */");
        w.open("public static boolean decode(Translator t, int insn) {");
        if (width == 16) {
            w.line("insn &= 0xffff;");
        }
        noOverlap(w, root.children(), 0);
        w.line("return false;");
        w.close("}");
        for (CodeWriter m : methods) {
            w.append(m);
        }
    }

    private void node(CodeWriter w, Node n, int tested) {
        switch (n) {
            case Pattern p -> pattern(w, p, tested);
            case Group g when !g.overlap() -> noOverlap(w, g.children(), tested);
            case Group g -> {
                int rem = g.commonMask() & ~tested;
                if (rem != 0) {
                    w.open("if ((insn & " + hex(rem) + ") == " + hex(g.commonBits() & rem) + ") {");
                }
                w.line("// overlap group, line " + g.pos().line());
                for (Node c : g.children()) {
                    node(w, c, tested | rem);
                }
                if (rem != 0) {
                    w.close("}");
                }
            }
        }
    }

    private void pattern(CodeWriter w, Pattern p, int tested) {
        int rem = p.mask() & ~tested;
        w.line("// " + p.name() + ", line " + p.pos().line());
        String cond = rem == 0 ? call.apply(p)
                : "(insn & " + hex(rem) + ") == " + hex(p.bits() & rem) + " && " + call.apply(p);
        w.open("if (" + cond + ") {");
        w.line("return true;");
        w.close("}");
    }

    private void noOverlap(CodeWriter w, List<Node> members, int tested) {
        List<Node> children = new ArrayList<>();
        flatten(members, children);
        if (children.size() == 1) {
            node(w, children.getFirst(), tested);
            return;
        }
        int common = ~tested;
        for (Node c : children) {
            common &= c.commonMask();
        }
        if (common == 0) {
            for (Node c : children) {
                node(w, c, tested);
            }
            return;
        }
        Map<Integer, List<Node>> buckets = new LinkedHashMap<>();
        for (Node c : children) {
            buckets.computeIfAbsent(c.commonBits() & common, k -> new ArrayList<>()).add(c);
        }
        int inner = tested | common;
        if (buckets.size() == 1) {
            var only = buckets.entrySet().iterator().next();
            w.open("if ((insn & " + hex(common) + ") == " + hex(only.getKey()) + ") {");
            noOverlap(w, only.getValue(), inner);
            w.close("}");
            return;
        }
        w.open("switch (insn & " + hex(common) + ") {");
        for (var e : buckets.entrySet()) {
            w.open("case " + hex(e.getKey()) + " -> {");
            List<Node> bucket = e.getValue();
            int leaves = bucket.stream().mapToInt(n -> n.leaves().size()).sum();
            if (leaves > SPLIT_LEAVES && bucket.size() > 1) {
                String name = method(bucket, inner, common, e.getKey());
                w.open("if (" + name + "(t, insn)) {");
                w.line("return true;");
                w.close("}");
            } else {
                noOverlap(w, bucket, inner);
            }
            w.close("}");
        }
        w.close("}");
    }

    /** Replaces nested no-overlap groups by their members: all are disjoint anyway. */
    private static void flatten(List<Node> nodes, List<Node> out) {
        for (Node n : nodes) {
            if (n instanceof Group g && !g.overlap()) {
                flatten(g.children(), out);
            } else {
                out.add(n);
            }
        }
    }

    private String method(List<Node> bucket, int tested, int mask, int value) {
        String name = "decode" + (methods.size() + 1);
        CodeWriter m = new CodeWriter(1);
        m.line("");
        m.line("/** Decodes instructions with {@code (insn & " + hex(mask) + ") == " + hex(value) + "}. */");
        m.open("private static boolean " + name + "(Translator t, int insn) {");
        methods.add(m);
        noOverlap(m, bucket, tested);
        m.line("return false;");
        m.close("}");
        return name;
    }

    private String hex(int v) {
        return width == 16 ? String.format("0x%04x", v) : String.format("0x%08x", v);
    }
}
