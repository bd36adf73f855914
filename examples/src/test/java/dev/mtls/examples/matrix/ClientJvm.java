package dev.mtls.examples.matrix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one client application in a fresh JVM, as an operator would run an unmodified service:
 * {@code -javaagent:mtls-agent.jar=profiles=...} and the application's own class path (the
 * client's jars and the test classes, never the agent's unshaded classes).
 *
 * <p>Not the agent module's child-JVM harness: that one runs the agent's own test classes on a
 * fixed class path; the matrix needs a class path per client and nothing else it offers.
 */
final class ClientJvm {
    private static final long TIMEOUT_SECONDS = 90;

    private final Jdk jdk;
    private final List<String> jvmArguments = new ArrayList<>();
    private String classpath;

    private ClientJvm(Jdk jdk) {
        this.jdk = jdk;
    }

    static ClientJvm on(Jdk jdk) {
        return new ClientJvm(jdk);
    }

    static Path agentJar() {
        String jar = System.getProperty("mtls.agentJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property mtls.agentJar must name the built agent jar, is " + jar);
        }
        return Path.of(jar);
    }

    ClientJvm client(String client) {
        classpath = ClientClasspath.of(client);
        return this;
    }

    ClientJvm agent(Path profiles) {
        return jvmArgument("-javaagent:" + agentJar() + "=profiles=" + profiles);
    }

    ClientJvm systemProperty(String name, String value) {
        return jvmArgument("-D" + name + "=" + value);
    }

    ClientJvm jvmArgument(String argument) {
        jvmArguments.add(argument);
        return this;
    }

    ClientRun run(Class<?> main, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(jdk.java.toString());
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(classpath);
        command.add(main.getName());
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("client-jvm", ".out");
        Path err = Files.createTempFile("client-jvm", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            // Only what the test sets: a developer's own JAVA_TOOL_OPTIONS or MTLS_* must not leak in.
            builder.environment().keySet().removeIf(name -> name.startsWith("MTLS_")
                    || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("_JAVA_OPTIONS"));
            long start = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            ClientRun run = new ClientRun(command, ended ? process.exitValue() : -1, millis,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            if (!ended) {
                throw new AssertionError("client JVM did not end within " + TIMEOUT_SECONDS + " s: " + run);
            }
            return run;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
