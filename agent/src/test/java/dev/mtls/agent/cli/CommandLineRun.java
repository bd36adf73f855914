package dev.mtls.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the command line: its exit status and what it printed. */
final class CommandLineRun {
    final int status;
    final String out;
    final String err;

    private CommandLineRun(int status, String out, String err) {
        this.status = status;
        this.out = out;
        this.err = err;
    }

    static CommandLineRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MtlsCommandLine.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLineRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The table row of one profile, found by its first cell. */
    String row(String profile) {
        for (String line : out.split("\n")) {
            if (line.startsWith(profile + " ")) {
                return line;
            }
        }
        throw new AssertionError("no row for profile '" + profile + "' in:\n" + out + err);
    }

    @Override
    public String toString() {
        return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
    }
}
