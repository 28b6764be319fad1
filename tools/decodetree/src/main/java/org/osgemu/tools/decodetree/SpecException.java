package org.osgemu.tools.decodetree;

/**
 * A problem in a decode spec, located at a file, line and column.
 *
 * <p>{@link #getMessage()} has the form {@code file:line:column: text}, the
 * usual compiler style, so editors and build logs can jump to the spot.
 */
public final class SpecException extends Exception {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** Where the problem is. */
    private final transient Pos pos;
    /** What the problem is. */
    private final String text;

    /**
     * Creates an error at a position.
     *
     * @param pos  where the problem is
     * @param text what the problem is, without the position prefix
     */
    public SpecException(Pos pos, String text) {
        super(pos + ": " + text);
        this.pos = pos;
        this.text = text;
    }

    /**
     * Gives the position of the problem.
     *
     * @return where the problem is
     */
    public Pos pos() {
        return pos;
    }

    /**
     * Gives the message without its position.
     *
     * @return the message without the position prefix
     */
    public String text() {
        return text;
    }

    /**
     * A position in a spec file; lines and columns count from 1.
     *
     * @param file   the file name as given to the generator
     * @param line   line number, from 1
     * @param column column number, from 1
     */
    public record Pos(String file, int line, int column) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }
}
