package dev.mtls.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.mtls.agent.AgentMain;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * {@code attach PID [OPTIONS]}: loads this jar into a running JVM as its agent, with OPTIONS as
 * they would follow {@code -javaagent:mtls-agent.jar=}, and prints what the agent said there
 * (started, with how many profiles from which file, or why not), read back through the attach
 * API: that JVM's log may be far from the operator's terminal. The paths in {@code profiles=}
 * and {@code base=} are made absolute here, since the running JVM's working directory is not the
 * operator's. Exit status 0 when the agent runs in that JVM (started, or its options applied to
 * the agent already running there) with no problem; 1 when it reported any problem, did not start
 * or the JVM could not be reached.
 */
final class AttachCommand {
    private final PrintStream out;
    private final PrintStream err;

    AttachCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) throws CommandArguments.UsageException {
        if (args.length < 1 || args.length > 2) {
            throw new CommandArguments.UsageException("expected a process id and, optionally, the agent's options");
        }
        String pid = args[0];
        if (pid.isEmpty() || !pid.chars().allMatch(Character::isDigit)) {
            throw new CommandArguments.UsageException("not a process id: " + pid);
        }
        String options;
        try {
            options = args.length == 2 ? withAbsolutePaths(args[1]) : "";
        } catch (InvalidPathException e) {
            throw new CommandArguments.UsageException("not a file path: " + e.getInput());
        }
        Path jar = agentJar();
        if (jar == null) {
            err.println("mtls-agent attach: run this command from the agent jar: java -jar mtls-agent.jar attach PID");
            return MtlsCommandLine.PROBLEM;
        }
        try {
            return new JvmAttach(out, err).attach(pid, jar, options);
        } catch (LinkageError e) {
            err.println("mtls-agent attach: this Java runtime has no attach support (module jdk.attach);"
                    + " run the command with the java of a full JDK");
            return MtlsCommandLine.PROBLEM;
        }
    }

    /** The options with {@code profiles=} and {@code base=} resolved against this working directory. */
    static String withAbsolutePaths(String options) {
        StringBuilder result = new StringBuilder();
        for (String option : options.split(",", -1)) {
            int equals = option.indexOf('=');
            String name = equals < 0 ? option.trim() : option.substring(0, equals).trim();
            if (result.length() > 0) {
                result.append(',');
            }
            if (equals > 0 && (name.equals("profiles") || name.equals("base")) && !option.substring(equals + 1).isBlank()) {
                Path path = Path.of(option.substring(equals + 1).trim());
                result.append(name).append('=').append(path.toAbsolutePath().normalize());
            } else {
                result.append(option);
            }
        }
        return result.toString();
    }

    /** This jar, or null when the command does not run from a jar (say from a build's classes folder). */
    private static Path agentJar() {
        try {
            CodeSource source = AttachCommand.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(location) ? location : null;
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The attach API, in a class of its own: on a runtime without module jdk.attach, loading it
     * fails with a LinkageError that {@link #run} turns into one line.
     */
    private static final class JvmAttach {
        private final PrintStream out;
        private final PrintStream err;

        JvmAttach(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        int attach(String pid, Path jar, String options) {
            VirtualMachine vm;
            try {
                vm = VirtualMachine.attach(pid);
            } catch (AttachNotSupportedException | IOException e) {
                err.println("mtls-agent attach: cannot attach to JVM " + pid + ": " + e.getMessage()
                        + " (is it a running JVM of the same user?)");
                return MtlsCommandLine.PROBLEM;
            }
            String outcome;
            try {
                vm.loadAgent(jar.toString(), options);
                outcome = vm.getSystemProperties().getProperty(AgentMain.ATTACH_OUTCOME_PROPERTY);
            } catch (AgentLoadException | AgentInitializationException | IOException e) {
                err.println("mtls-agent attach: JVM " + pid + " did not load the agent: " + e.getMessage());
                return MtlsCommandLine.PROBLEM;
            } finally {
                detach(vm);
            }
            if (outcome == null) {
                out.println("mtls-agent: loaded into JVM " + pid + "; its log says whether the agent started");
                return MtlsCommandLine.OK;
            }
            // "started: ..." or "applied: ...", then "problem: ..." lines and a "note: ..." line;
            // or "not started: ...".
            boolean running = !outcome.startsWith("not started");
            boolean clean = running && !outcome.contains("\nproblem: ");
            (clean ? out : err).println("mtls-agent: JVM " + pid + ": " + outcome.replace("\n", "\n  "));
            return clean ? MtlsCommandLine.OK : MtlsCommandLine.PROBLEM;
        }

        private static void detach(VirtualMachine vm) {
            try {
                vm.detach();
            } catch (IOException e) {
                // The agent is loaded; losing the attach connection afterwards changes nothing.
            }
        }
    }
}
