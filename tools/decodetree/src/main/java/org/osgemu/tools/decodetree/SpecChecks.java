package org.osgemu.tools.decodetree;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgemu.tools.decodetree.Spec.ArgSet;
import org.osgemu.tools.decodetree.Spec.Group;
import org.osgemu.tools.decodetree.Spec.Node;
import org.osgemu.tools.decodetree.Spec.Pattern;

/** Checks that need the whole spec: Java names of argument sets and overlaps. */
final class SpecChecks {
    private SpecChecks() {
    }

    /**
     * Gives every argument set its Java record name: {@code Args} plus the
     * CamelCase set name. Explicit sets are named first; an inferred set takes
     * its format's or pattern's name, with a number added if that is taken.
     *
     * @param sets all argument sets
     * @throws SpecException if two explicit sets map to the same Java name
     */
    static void nameArgSets(List<ArgSet> sets) throws SpecException {
        Map<String, ArgSet> used = new HashMap<>();
        for (ArgSet a : sets) {
            if (!a.implicit) {
                String n = "Args" + Names.camel(a.name);
                ArgSet other = used.putIfAbsent(n, a);
                if (other != null) {
                    throw new SpecException(a.pos, "argument set &" + a.name + " has the same Java name "
                            + n + " as argument set &" + other.name + " (" + other.pos + ")");
                }
                a.javaName = n;
            }
        }
        for (ArgSet a : sets) {
            if (a.implicit) {
                String base = "Args" + Names.camel(a.name);
                String n = base;
                for (int i = 2; used.containsKey(n); i++) {
                    n = base + i;
                }
                used.put(n, a);
                a.javaName = n;
            }
        }
    }

    /**
     * Checks that no two members of a no-overlap group (the top level or
     * {@code [ ]}) can match the same instruction, recursively.
     *
     * @param group the group to check
     * @throws SpecException naming both patterns of the first overlap found
     */
    static void checkOverlaps(Group group) throws SpecException {
        List<Node> children = group.children();
        if (!group.overlap()) {
            for (int j = 1; j < children.size(); j++) {
                for (Pattern b : children.get(j).leaves()) {
                    for (int i = 0; i < j; i++) {
                        for (Pattern a : children.get(i).leaves()) {
                            if (a.overlaps(b)) {
                                throw new SpecException(b.pos(), "pattern " + b.name() + " overlaps pattern "
                                        + a.name() + " (" + a.pos() + ") outside an overlap group");
                            }
                        }
                    }
                }
            }
        }
        for (Node n : children) {
            if (n instanceof Group g) {
                checkOverlaps(g);
            }
        }
    }
}
