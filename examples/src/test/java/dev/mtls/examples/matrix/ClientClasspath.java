package dev.mtls.examples.matrix;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The jars of one client's child JVM, after the test classes where the client applications live
 * (which {@link dev.mtls.testing.ChildJvm} puts first): that client's jars only, as the build wrote them under {@code target/classpaths}
 * (system property {@code mtls.classpaths}): {@code <client>.txt} holding a class path, or a
 * folder {@code <client>/} of jars (see examples/pom.xml for why both).
 */
final class ClientClasspath {
    private ClientClasspath() {
    }

    static List<Path> of(String client) {
        String folder = System.getProperty("mtls.classpaths");
        if (folder == null) {
            throw new IllegalStateException("system property mtls.classpaths is not set: run the matrix with Maven"
                    + " (mvn verify -pl examples), which writes the client class paths");
        }
        List<Path> entries = new ArrayList<>();
        for (String jar : jars(Path.of(folder), client)) {
            entries.add(Path.of(jar));
        }
        return entries;
    }

    private static List<String> jars(Path folder, String client) {
        try {
            Path file = folder.resolve(client + ".txt");
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                return text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator));
            }
            Path jars = folder.resolve(client);
            if (Files.isDirectory(jars)) {
                try (Stream<Path> files = Files.list(jars)) {
                    return files.filter(jar -> jar.toString().endsWith(".jar")).sorted().map(Path::toString)
                            .collect(Collectors.toList());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the class path of " + client, e);
        }
        throw new IllegalStateException("no class path for client " + client + " in " + folder);
    }
}
