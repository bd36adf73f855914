package dev.mtls.agent.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code java -jar mtls-agent.jar COMMAND …}: the operator's tools. Exit status 0 when all is
 * well, 1 on any problem with the profiles, 2 on bad usage — like {@code nginx -t}, so scripts and
 * CI pipelines can gate on it.
 */
public final class MtlsCommandLine {
    static final int OK = 0;
    static final int PROBLEM = 1;
    static final int USAGE = 2;

    private static final String USAGE_TEXT = String.join("\n",
            "usage: java -jar mtls-agent.jar COMMAND ARGS",
            "",
            "  check FILE [--base DIR]              load every profile and its key material; one row per profile",
            "  which FILE HOST[:PORT] [--base DIR]  which profile applies to a host, and which pattern won",
            "  probe FILE HOST[:PORT] [--base DIR]  one real handshake as the agent would make it, and what happened",
            "  attach PID [OPTIONS]                 load the agent into a running JVM; OPTIONS as after",
            "                                       -javaagent:mtls-agent.jar= (profiles=FILE,reload=30s,...)",
            "",
            "Exit status: 0 all is well, 1 a problem with the profiles (or the agent did not start), 2 bad usage.");

    private MtlsCommandLine() {
    }

    public static void main(String[] args) {
        // The commands' output is their answer to a person or a script, not a log: it goes to
        // stdout/stderr, never through MtlsLog (docs/ARCHITECTURE.md, "Decisions").
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs one command; never throws, never exits. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || "--help".equals(args[0]) || "-h".equals(args[0]) || "help".equals(args[0])) {
            (args.length == 0 ? err : out).println(USAGE_TEXT);
            return args.length == 0 ? USAGE : OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "check":
                    return new CheckCommand(out, err).run(CommandArguments.parse(rest, 1));
                case "which":
                    return new WhichCommand(out, err).run(CommandArguments.parse(rest, 2));
                case "probe":
                    return new ProbeCommand(out, err).run(CommandArguments.parse(rest, 2));
                case "attach":
                    return new AttachCommand(out, err).run(rest);
                default:
                    err.println("mtls-agent: unknown command '" + args[0] + "'");
                    err.println(USAGE_TEXT);
                    return USAGE;
            }
        } catch (CommandArguments.UsageException e) {
            err.println("mtls-agent " + args[0] + ": " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (RuntimeException e) {
            // A bug of ours must still end in one readable line, not a stack trace for the operator.
            err.println("mtls-agent " + args[0] + ": internal error: " + e);
            return PROBLEM;
        }
    }
}
