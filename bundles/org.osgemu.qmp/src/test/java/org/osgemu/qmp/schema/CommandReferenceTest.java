package org.osgemu.qmp.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.osgemu.qmp.testing.TestCommandSet;

/**
 * {@code docs/qmp-commands.md} is what the schema says: generated from this bundle's schema
 * documents and those of every other bundle in the tree ({@code src/main/resources/qapi/*.json},
 * e.g. migration's), never written by hand. With {@code -Dosgemu.qmp.writeDocs=true} the test
 * writes the file instead of checking it.
 */
class CommandReferenceTest {

    private static final Path DOCS = Path.of("../../docs/qmp-commands.md");
    private static final Path BUNDLES = Path.of("..");

    @Test
    void committedReferenceIsTheGeneratedOne() throws Exception {
        String generated = CommandReference.of(wholeSchema());
        if (Boolean.getBoolean("osgemu.qmp.writeDocs")) {
            Files.writeString(DOCS, generated);
        }
        assertTrue(Files.exists(DOCS), DOCS.toAbsolutePath() + " is missing; regenerate it with "
                + "mvn -pl bundles/org.osgemu.qmp test -Dosgemu.qmp.writeDocs=true");
        assertEquals(generated, Files.readString(DOCS), DOCS.toAbsolutePath() + " differs from the schema; regenerate it with "
                + "mvn -pl bundles/org.osgemu.qmp test -Dosgemu.qmp.writeDocs=true");
        assertTrue(generated.contains("### `device_add`") && generated.contains("### `DEVICE_DELETED`"));
        assertTrue(generated.contains("### `migrate`") && generated.contains("### `MIGRATION`"),
                "the other bundles' commands are in the reference");
    }

    /** The registered command set's definitions plus the schema documents of the other bundles. */
    private static Schema wholeSchema() throws Exception {
        Schema registered = new TestCommandSet().commands.schema();
        List<Definition> all = new ArrayList<>(registered.types());
        all.addAll(registered.commands());
        all.addAll(registered.events());
        List<Path> documents;
        try (Stream<Path> bundles = Files.list(BUNDLES)) {
            documents = bundles.filter(b -> !b.getFileName().toString().equals("org.osgemu.qmp"))
                    .map(b -> b.resolve("src/main/resources/qapi"))
                    .filter(Files::isDirectory)
                    .flatMap(CommandReferenceTest::jsonFiles)
                    .sorted()
                    .toList();
        }
        for (Path document : documents) {
            try (InputStream in = Files.newInputStream(document)) {
                all.addAll(SchemaParser.parse(document.toString(), in));
            }
        }
        return Schema.of(all);
    }

    private static Stream<Path> jsonFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
