package org.osgemu.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The bundle set the distribution runs, read from what its build produced: the executable
 * {@code distribution/target/osgemu.jar} holds the bundles bnd resolved from
 * {@code osgemu.bndrun}'s {@code -runrequires} and a {@code launcher.properties} whose
 * {@code launch.bundles} lists them in start order. Tests that install "the distribution's
 * bundles" take them from here, so no second list has to be kept by hand.
 *
 * @param bundles the bundle JARs, extracted, in the launcher's order
 * @param runProperties the bndrun's {@code -runproperties} (every launcher property outside
 *                      {@code launch.*}), which the framework needs as the launcher sets them
 */
record DistributionBundles(List<Path> bundles, Map<String, String> runProperties) {

    static final Path EXECUTABLE_JAR = Osgemu.TOP.resolve("distribution/target/osgemu.jar");

    /** Extracts the bundles of {@link #EXECUTABLE_JAR} into {@code directory}. */
    static DistributionBundles extract(Path directory) throws IOException {
        if (!Files.isRegularFile(EXECUTABLE_JAR)) {
            throw new IllegalStateException(EXECUTABLE_JAR + " is missing: build it with mvn -pl distribution install");
        }
        try (JarFile jar = new JarFile(EXECUTABLE_JAR.toFile())) {
            JarEntry propertiesEntry = jar.getJarEntry("launcher.properties");
            if (propertiesEntry == null) {
                throw new IllegalStateException(EXECUTABLE_JAR + " has no launcher.properties: not a bnd executable JAR");
            }
            Properties launcher = new Properties();
            try (InputStream in = jar.getInputStream(propertiesEntry)) {
                launcher.load(in);
            }
            String list = launcher.getProperty("launch.bundles", "");
            List<Path> bundles = new ArrayList<>();
            for (String name : list.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                JarEntry entry = jar.getJarEntry(name.strip());
                if (entry == null) {
                    throw new IllegalStateException(EXECUTABLE_JAR + ": launch.bundles names " + name + ", which it does not hold");
                }
                Path target = directory.resolve(Path.of(entry.getName()).getFileName().toString());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                bundles.add(target);
            }
            if (bundles.isEmpty()) {
                throw new IllegalStateException(EXECUTABLE_JAR + ": launch.bundles is empty");
            }
            Map<String, String> runProperties = new LinkedHashMap<>();
            for (String key : launcher.stringPropertyNames()) {
                if (!key.startsWith("launch.")) {
                    runProperties.put(key, launcher.getProperty(key));
                }
            }
            return new DistributionBundles(List.copyOf(bundles), Map.copyOf(runProperties));
        }
    }
}
