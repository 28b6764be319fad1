package org.osgemu.api.fdt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device-tree node under construction: name, properties in insertion order, children. A node
 * may carry a label; other nodes refer to it with {@link #phandleRef(String, String)} and the
 * {@link FdtWriter} assigns phandles when it flattens the tree.
 */
public final class FdtNode {

    /** A property value: raw bytes, or cells some of which reference labelled nodes. */
    public sealed interface Value permits Bytes, Cells {}

    /** Raw property bytes. */
    public record Bytes(byte[] data) implements Value {}

    /** 32-bit cells; an entry that is a {@link String} is a label whose phandle goes there. */
    public record Cells(List<Object> cells) implements Value {}

    private final String name;
    private final Map<String, Value> properties = new LinkedHashMap<>();
    private final List<FdtNode> children = new ArrayList<>();
    private String label;

    public FdtNode(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A node named {@code base@unitAddress} (unit address in lower-case hex). */
    public static FdtNode at(String base, long unitAddress) {
        return new FdtNode(base + "@" + Long.toHexString(unitAddress));
    }

    public String name() { return name; }
    public String label() { return label; }
    public Map<String, Value> properties() { return properties; }
    public List<FdtNode> children() { return children; }

    /** Labels this node so others can reference its phandle; the writer adds a {@code phandle} property. */
    public FdtNode label(String label) {
        this.label = label;
        return this;
    }

    public FdtNode child(FdtNode child) {
        children.add(child);
        return this;
    }

    /** The child named {@code name}, created when missing. */
    public FdtNode childNamed(String name) {
        for (FdtNode c : children) {
            if (c.name.equals(name)) return c;
        }
        FdtNode c = new FdtNode(name);
        children.add(c);
        return c;
    }

    /** An empty (boolean) property. */
    public FdtNode flag(String property) {
        properties.put(property, new Bytes(new byte[0]));
        return this;
    }

    /** One or more NUL-terminated strings. */
    public FdtNode string(String property, String... values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) sb.append(v).append('\0');
        properties.put(property, new Bytes(sb.toString().getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** 32-bit cells. */
    public FdtNode u32(String property, long... values) {
        List<Object> cells = new ArrayList<>();
        for (long v : values) cells.add((int) v);
        properties.put(property, new Cells(cells));
        return this;
    }

    /** 64-bit values, each as two cells (high first). */
    public FdtNode u64(String property, long... values) {
        List<Object> cells = new ArrayList<>();
        for (long v : values) {
            cells.add((int) (v >>> 32));
            cells.add((int) v);
        }
        properties.put(property, new Cells(cells));
        return this;
    }

    /** A {@code reg} with #address-cells = #size-cells = 2. */
    public FdtNode reg(long address, long size) {
        return u64("reg", address, size);
    }

    /** Cells mixing numbers ({@link Number}) and labels ({@link String}) replaced by their phandles. */
    public FdtNode cells(String property, Object... values) {
        List<Object> cells = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Number n) cells.add(n.intValue());
            else if (v instanceof String s) cells.add(s);
            else throw new IllegalArgumentException("FDT cell must be a number or a label: " + v);
        }
        properties.put(property, new Cells(cells));
        return this;
    }

    /** A single-cell reference to the node labelled {@code target}. */
    public FdtNode phandleRef(String property, String target) {
        return cells(property, target);
    }

    /** Raw bytes. */
    public FdtNode bytes(String property, byte[] data) {
        properties.put(property, new Bytes(data.clone()));
        return this;
    }
}
