package org.osgemu.qmp.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.osgemu.qmp.testing.TestCommandSet;

/**
 * {@code docs/qmp-commands.md} is what the schema says: generated from the bundle's schema
 * documents, never written by hand. With {@code -Dosgemu.qmp.writeDocs=true} the test writes
 * the file instead of checking it.
 */
class CommandReferenceTest {

    private static final Path DOCS = Path.of("../../docs/qmp-commands.md");

    @Test
    void committedReferenceIsTheGeneratedOne() throws Exception {
        String generated = CommandReference.of(new TestCommandSet().commands.schema());
        if (Boolean.getBoolean("osgemu.qmp.writeDocs")) {
            Files.writeString(DOCS, generated);
        }
        assertTrue(Files.exists(DOCS), DOCS.toAbsolutePath() + " is missing; regenerate it with "
                + "mvn -pl bundles/org.osgemu.qmp test -Dosgemu.qmp.writeDocs=true");
        assertEquals(generated, Files.readString(DOCS), DOCS.toAbsolutePath() + " differs from the schema; regenerate it with "
                + "mvn -pl bundles/org.osgemu.qmp test -Dosgemu.qmp.writeDocs=true");
        assertTrue(generated.contains("### `device_add`") && generated.contains("### `DEVICE_DELETED`"));
    }
}
