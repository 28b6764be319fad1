package org.osgemu.tools.decodetree;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BuildStep}: the in-build entry point fails by exception, never by ending the JVM. */
class BuildStepTest {
    @TempDir
    Path dir;

    @Test
    void aSpecErrorIsThrownWithItsPosition() throws Exception {
        Path spec = dir.resolve("bad.decode");
        Files.writeString(spec, "# header\nadd   ....... ..... ..... 000 ..... 0110011 %missing\n");
        var e = assertThrows(BuildStep.GenerationFailedException.class, () -> BuildStep.main(new String[] {
            "--spec", spec.toString(), "--out", dir.resolve("gen").toString(), "--package", "p", "--class", "C"}));
        assertTrue(e.getMessage().startsWith(spec + ":2:"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aGoodSpecGeneratesTheClass() throws Exception {
        Path spec = dir.resolve("ok.decode");
        Files.writeString(spec, "add   ....... ..... ..... 000 ..... 0110011\n");
        BuildStep.main(new String[] {"--spec", spec.toString(), "--out", dir.resolve("gen").toString(),
            "--package", "p", "--class", "C"});
        assertTrue(Files.exists(dir.resolve("gen/p/C.java")));
    }
}
