package dev.mtls.benchmarks;

import dev.mtls.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One finished child JVM of a benchmark harness ({@link ChildJvm#run(List, Map, long)}): its
 * command, exit code and output, read as the harness's children print it. Its environment is the
 * harness's without JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS, _JAVA_OPTIONS and MTLS_*: only what the
 * benchmark sets may reach the child.
 */
public final class ChildRun {
    public final List<String> command;
    public final int exitCode;
    public final String stdout;
    public final String stderr;

    private ChildRun(ChildJvm.Result result) {
        this.command = result.command;
        this.exitCode = result.exitCode;
        this.stdout = result.stdout;
        this.stderr = result.stderr;
    }

    /** Runs the command to its end, or kills it and throws after {@code timeoutSeconds}. */
    public static ChildRun run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, Map.of(), timeoutSeconds);
    }

    /** As {@link #run(List, long)}, with {@code environment} added (JAVA_TOOL_OPTIONS, say). */
    public static ChildRun run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        return new ChildRun(ChildJvm.run(command, environment, timeoutSeconds));
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
