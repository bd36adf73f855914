package dev.mtls.testing;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Runs an application class from the test classes in a fresh JVM, the way an operator would:
 * the shaded agent jar (system property {@code mtls.agentJar}) on {@code -javaagent}, the
 * application's own class path holding the folder or jar of its main class, and, when asked, Bouncy
 * Castle or a client library's jars as the application's own libraries (never the agent's unshaded
 * classes or its dependencies). The environment is the test's without JAVA_TOOL_OPTIONS,
 * JDK_JAVA_OPTIONS, _JAVA_OPTIONS and MTLS_*: a developer's own settings must not leak in.
 *
 * <pre>{@code
 * ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + profiles)
 *         .jvmArgument("-Djavax.net.ssl.trustStore=" + trustStore).run(HttpsClientApp.class, url);
 * }</pre>
 */
public final class ChildJvm {
    /** How long a child may run before the test calls it hung and kills it. */
    private static final long TIMEOUT_SECONDS = 90;

    private final Path java;
    private final List<String> jvmArguments = new ArrayList<>();
    private final List<Path> classPath = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();

    private ChildJvm(Path java) {
        this.java = java;
    }

    public static ChildJvm on(Path java) {
        return new ChildJvm(java);
    }

    /** The JDKs the build names in mtls.test.jdks (the root pom: the JDK running Maven, and JDK 25 where installed). */
    public static Stream<Path> javaExecutables() {
        return TestJdks.javaExecutables().stream();
    }

    /** "JDK 17": how test names call a java executable. */
    public static String jdkName(Path java) {
        return TestJdks.name(java);
    }

    public static String agentJar() {
        String jar = System.getProperty("mtls.agentJar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property mtls.agentJar must name the built agent jar, is " + jar);
        }
        return jar;
    }

    /** {@code java -jar mtls-agent.jar ARGUMENTS}, the operator's command line, run in {@code directory}. */
    public Result runAgentJar(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmArguments);
        command.addAll(List.of("-jar", agentJar()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("agent-jar", ".out");
        Path err = Files.createTempFile("agent-jar", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        onlyTestEnvironment(builder, environment);
        Process process = builder.start();
        try (Running running = new Running(command, process, out, err)) {
            process.getOutputStream().close();
            return running.finish();
        }
    }

    /** {@code -javaagent:<agent jar>=arguments}; null arguments leave the {@code =} out. */
    public ChildJvm agent(String arguments) {
        return jvmArgument("-javaagent:" + agentJar() + (arguments == null ? "" : "=" + arguments));
    }

    public ChildJvm jvmArgument(String argument) {
        jvmArguments.add(argument);
        return this;
    }

    /**
     * Bouncy Castle's JSSE on the application's class path, as an application that bundles it
     * has it: the jars of bctls, bcutil and bcprov, taken from the test class path (the calling
     * module declares bctls, test-scoped; this module does not need it).
     */
    public ChildJvm withBouncyCastle() {
        Class<?> jsse;
        try {
            jsse = Class.forName("org.bouncycastle.jsse.provider.BouncyCastleJsseProvider");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("withBouncyCastle() needs bctls-jdk18on on the test class path", e);
        }
        for (Class<?> fromJar : List.of(jsse, ContentInfo.class, BouncyCastleProvider.class)) {
            classPath.add(codeSource(fromJar));
        }
        return this;
    }

    public ChildJvm systemProperty(String name, String value) {
        return jvmArgument("-D" + name + "=" + value);
    }

    /** More class path entries after the main class's own folder or jar: a client library's jars, say. */
    public ChildJvm classPath(List<Path> entries) {
        classPath.addAll(entries);
        return this;
    }

    public ChildJvm environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public Result run(Class<?> main, String... arguments) throws IOException, InterruptedException {
        try (Running running = start(main, arguments)) {
            running.process.getOutputStream().close();
            return running.finish();
        }
    }

    /** Starts the application and leaves it running; its stdin stays open for the test. */
    public Running start(Class<?> main, String... arguments) throws IOException {
        List<Path> entries = new ArrayList<>();
        entries.add(codeSource(main));
        entries.addAll(classPath);
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArguments);
        command.add("-cp");
        command.add(entries.stream().map(Path::toString).distinct().collect(Collectors.joining(File.pathSeparator)));
        command.add(main.getName());
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("child-jvm", ".out");
        Path err = Files.createTempFile("child-jvm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        onlyTestEnvironment(builder, environment);
        return new Running(command, builder.start(), out, err);
    }

    /**
     * Runs a command line the caller built itself (a benchmark harness's java command, say) to its
     * end, in the test's environment without the developer's settings (see the class comment) plus
     * {@code environment}; kills it and throws after {@code timeoutSeconds}.
     */
    public static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("child-jvm", ".out");
        Path err = Files.createTempFile("child-jvm", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        onlyTestEnvironment(builder, environment);
        try (Running running = new Running(command, builder.start(), out, err)) {
            running.process.getOutputStream().close();
            return running.finish(timeoutSeconds);
        }
    }

    /** Only what the test sets: a developer's own JAVA_TOOL_OPTIONS or MTLS_* must not leak in. */
    private static void onlyTestEnvironment(ProcessBuilder builder, Map<String, String> environment) {
        builder.environment().keySet().removeIf(name -> name.startsWith("MTLS_") || name.equals("JAVA_TOOL_OPTIONS")
                || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
    }

    /** A child JVM still running; closing it kills it if it has not ended. */
    public static final class Running implements AutoCloseable {
        public final List<String> command;
        public final Process process;
        private final Path out;
        private final Path err;

        Running(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits until stdout has a line equal to {@code line}, at least {@code count} times. */
        public void awaitLine(String line, int count) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (Files.readAllLines(out).stream().filter(line::equals).count() < count) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no line '" + line + "' from the child JVM: " + snapshot(-1));
                }
                Thread.sleep(50);
            }
        }

        /** Waits until stderr holds {@code text} at least {@code count} times (the agent's log lines, say). */
        public void awaitStderr(String text, int count) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (occurrences(stderr(), text) < count) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the child JVM never logged '" + text + "' " + count + " times: "
                            + snapshot(-1));
                }
                Thread.sleep(50);
            }
        }

        private static int occurrences(String text, String part) {
            int count = 0;
            for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
                count++;
            }
            return count;
        }

        public void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        public String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        public String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        public Result finish() throws IOException, InterruptedException {
            return finish(TIMEOUT_SECONDS);
        }

        private Result finish(long timeoutSeconds) throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not end within " + timeoutSeconds + " s: " + snapshot(-1));
            }
            return snapshot(process.exitValue());
        }

        private Result snapshot(int exitCode) throws IOException {
            return new Result(command, exitCode, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A child JVM that ended: its command, exit code and output. */
    public static final class Result {
        public final List<String> command;
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        public Result(List<String> command, int exitCode, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** The stderr lines that contain {@code text}. */
        public List<String> stderrLinesWith(String text) {
            List<String> lines = new ArrayList<>();
            for (String line : stderr.split("\\R")) {
                if (line.contains(text)) {
                    lines.add(line);
                }
            }
            return lines;
        }

        /** For assertion messages about one of many results: the exit code and stderr, without stdout. */
        public String ending() {
            return "the child JVM ended with exit code " + exitCode + "\n--- stderr\n" + stderr;
        }

        /** For assertion messages: everything needed to see what the child did. */
        @Override
        public String toString() {
            return String.join(" ", command) + "\n--- exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }
}
