package dev.mtls.examples.matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A JDK to run client applications on: the one running the tests, and JDK 25 where installed. */
final class Jdk {
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    final Path java;
    final String name;

    private Jdk(Path home, String name) {
        this.java = home.resolve("bin").resolve("java");
        this.name = name;
    }

    static List<Jdk> installed() {
        Path home = Path.of(System.getProperty("java.home"));
        List<Jdk> jdks = new ArrayList<>();
        jdks.add(new Jdk(home, "JDK " + Runtime.version().feature()));
        if (Files.isExecutable(JDK_25.resolve("bin/java")) && !home.startsWith(JDK_25)) {
            jdks.add(new Jdk(JDK_25, "JDK 25"));
        }
        return jdks;
    }

    /** For tags in request paths: "jdk17". */
    String tag() {
        return name.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return name;
    }
}
