package dev.mtls.examples.matrix;

import dev.mtls.testing.ChildJvm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one client JVM did (a {@link ChildJvm.Result}), read as the client applications print it: the result lines of its calls, by target. */
final class ClientRun {
    private static final String RESULT = "RESULT ";
    private static final String INFO = "INFO ";

    final List<String> command;
    final int exitCode;
    final String stdout;
    final String stderr;

    private ClientRun(ChildJvm.Result result) {
        this.command = result.command;
        this.exitCode = result.exitCode;
        this.stdout = result.stdout;
        this.stderr = result.stderr;
    }

    static ClientRun of(ChildJvm.Result result) {
        return new ClientRun(result);
    }

    /** "OK <detail>" or "FAILED <exception chain>" for a target, or null when the client printed none. */
    String result(String target) {
        return results().get(target);
    }

    Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            if (line.startsWith(RESULT)) {
                String rest = line.substring(RESULT.length());
                int space = rest.indexOf(' ');
                results.put(rest.substring(0, space), rest.substring(space + 1));
            }
        }
        return results;
    }

    /** The values of every {@code INFO <key> <value>} line, in order. */
    List<String> info(String key) {
        List<String> values = new ArrayList<>();
        String prefix = INFO + key + " ";
        for (String line : stdout.split("\\R")) {
            if (line.startsWith(prefix)) {
                values.add(line.substring(prefix.length()));
            }
        }
        return values;
    }

    /** Agent log lines above INFO: a healthy run has none. */
    List<String> agentComplaints() {
        List<String> complaints = new ArrayList<>();
        for (String line : stderr.split("\\R")) {
            if (line.contains("mtls-agent") && !line.startsWith("INFO: mtls-agent: ")) {
                complaints.add(line);
            }
        }
        return complaints;
    }

    /** For assertion messages: everything needed to see what the child did. */
    @Override
    public String toString() {
        return String.join(" ", command) + "\n--- exit " + exitCode + "\n--- stdout\n"
                + stdout + "--- stderr\n" + stderr;
    }
}
