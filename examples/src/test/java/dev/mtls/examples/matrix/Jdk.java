package dev.mtls.examples.matrix;

import dev.mtls.testing.TestJdks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A JDK to run client applications on: those the build names in mtls.test.jdks (the root pom). */
final class Jdk {
    final Path java;
    final String name;

    private Jdk(Path java, String name) {
        this.java = java;
        this.name = name;
    }

    static List<Jdk> installed() {
        List<Jdk> jdks = new ArrayList<>();
        for (Path java : TestJdks.javaExecutables()) {
            jdks.add(new Jdk(java, TestJdks.name(java)));
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
