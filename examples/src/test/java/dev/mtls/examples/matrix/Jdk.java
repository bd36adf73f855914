package dev.mtls.examples.matrix;

import dev.mtls.testing.ChildJvm;
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

    /**
     * A child JVM on this JDK for one client application, as an operator would run an unmodified
     * service: the test classes and that client's jars ({@link ClientClasspath}) on its class path.
     */
    ChildJvm client(String client) {
        return ChildJvm.on(java).classPath(ClientClasspath.of(client));
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
