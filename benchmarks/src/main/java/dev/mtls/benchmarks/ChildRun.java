package dev.mtls.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One finished child JVM of a benchmark harness: its command, exit code and output. Its
 * environment is the harness's without JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS and
 * MTLS_*: only what the benchmark sets may reach the child.
 */
public final class ChildRun {
    public final List<String> command;
    public final int exitCode;
    public final String stdout;
    public final String stderr;

    private ChildRun(List<String> command, int exitCode, String stdout, String stderr) {
        this.command = command;
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the command to its end, or kills it and throws after {@code timeoutSeconds}. */
    public static ChildRun run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, Map.of(), timeoutSeconds);
    }

    /** As {@link #run(List, long)}, with {@code environment} added (JAVA_TOOL_OPTIONS, say). */
    public static ChildRun run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("benchmark-child", ".out");
        Path err = Files.createTempFile("benchmark-child", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("MTLS_")
                    || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
                    || name.equals("_JAVA_OPTIONS"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("child JVM did not end within " + timeoutSeconds + " s: " + command);
            }
            return new ChildRun(command, process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** What follows {@code prefix} on each stdout line that starts with it. */
    public List<String> lines(String prefix) {
        List<String> lines = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            if (line.startsWith(prefix)) {
                lines.add(line.substring(prefix.length()));
            }
        }
        return lines;
    }

    /** The number on the first {@code name=} line of stdout. */
    public String value(String name) {
        List<String> values = lines(name + "=");
        if (values.isEmpty()) {
            throw new IllegalStateException("no " + name + " line: " + this);
        }
        return values.get(0);
    }

    /** The load average of the machine, "1 min 5 min 15 min", printed at the start and end of every run. */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command) + "\n--- exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n"
                + stderr;
    }
}
