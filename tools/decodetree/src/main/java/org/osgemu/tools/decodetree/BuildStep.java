package org.osgemu.tools.decodetree;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The generator as a build step run inside the build tool's own JVM (exec-maven-plugin's
 * {@code java} goal): same options as {@link Main}, but an error is thrown instead of ending
 * the JVM with {@code System.exit}, so the build reports a failure with the error line (for a
 * spec error {@code file:line:column: message}) instead of vanishing mid-build.
 */
public final class BuildStep {

    private BuildStep() {
    }

    /**
     * Runs the generator.
     *
     * @param args the command line of {@link Main}
     * @throws GenerationFailedException with the generator's error line when it fails
     */
    public static void main(String[] args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(captured, true, StandardCharsets.UTF_8));
        String message = captured.toString(StandardCharsets.UTF_8).strip();
        if (status != 0) {
            System.err.println(message);
            throw new GenerationFailedException(message);
        }
    }

    /** The generator refused its input; the message is its one-line error. */
    public static final class GenerationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GenerationFailedException(String message) {
            super(message);
        }
    }
}
