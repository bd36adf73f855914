package dev.mtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JDKs the child-JVM tests run on, from the system property {@value #PROPERTY}: a comma-separated
 * list of java homes or java executables. The root pom sets it to the JDK running Maven, plus
 * Temurin 25 where it is installed; {@code -Dmtls.test.jdks=...} names others. Without the property
 * (a test started from an IDE) only the JDK running the tests is used.
 */
public final class TestJdks {
    public static final String PROPERTY = "mtls.test.jdks";

    private TestJdks() {
    }

    /** The java executables to run children on, each once, in the order the property lists them. */
    public static List<Path> javaExecutables() {
        return javaExecutables(System.getProperty(PROPERTY, ""));
    }

    static List<Path> javaExecutables(String property) {
        String listed = property.trim();
        if (listed.isEmpty()) {
            listed = System.getProperty("java.home");
        }
        // By real path: Maven running on a listed JDK must not run every child twice.
        Map<Path, Path> javas = new LinkedHashMap<>();
        for (String entry : listed.split(",")) {
            if (!entry.isBlank()) {
                Path java = javaOf(entry.trim());
                javas.putIfAbsent(realPath(java), java);
            }
        }
        return new ArrayList<>(javas.values());
    }

    /** "JDK 25": how test names call a java executable, from its home's {@code release} file. */
    public static String name(Path java) {
        Path home = realPath(java).getParent().getParent();
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
            try {
                for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                        int dot = version.indexOf('.');
                        return "JDK " + (dot < 0 ? version : version.substring(0, dot));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "JDK at " + home;
    }

    private static Path javaOf(String entry) {
        Path path = Path.of(entry);
        Path java = Files.isDirectory(path) ? path.resolve("bin").resolve("java") : path;
        if (!Files.isExecutable(java)) {
            throw new IllegalStateException(PROPERTY + " lists '" + entry
                    + "', which is neither a java home nor a java executable");
        }
        return java;
    }

    private static Path realPath(Path java) {
        try {
            return java.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
