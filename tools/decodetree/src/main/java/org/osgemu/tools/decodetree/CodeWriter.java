package org.osgemu.tools.decodetree;

/** Accumulates Java source with four-space indentation. */
final class CodeWriter {
    private final StringBuilder sb = new StringBuilder();
    private int indent;

    CodeWriter(int indent) {
        this.indent = indent;
    }

    /** Writes one line at the current indentation; an empty string gives a blank line. */
    CodeWriter line(String text) {
        if (!text.isEmpty()) {
            sb.append("    ".repeat(indent)).append(text);
        }
        sb.append('\n');
        return this;
    }

    /** Writes a line ending a block opener and indents what follows. */
    CodeWriter open(String text) {
        line(text);
        indent++;
        return this;
    }

    /** Outdents and writes the line closing a block. */
    CodeWriter close(String text) {
        indent--;
        return line(text);
    }

    /** Appends text written by another writer verbatim. */
    CodeWriter append(CodeWriter other) {
        sb.append(other.sb);
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
