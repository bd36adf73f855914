package dev.mtls.agent;

import dev.mtls.log.LogThreshold;
import dev.mtls.log.MtlsLog;
import dev.mtls.log.Printable;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code -javaagent:mtls-agent.jar=...} and of attaching to a running JVM. It only
 * hands off to {@link AgentInstaller}; whatever goes wrong there, the application runs on and
 * stderr gets one line saying why the agent did not start, unless {@code strict=true} asked for
 * the JVM to stop whenever the agent does not start: then it stops, with the reason on stderr.
 *
 * <p>These lines go to {@code System.err}, not to the agent's log ({@code MtlsLog}): when the agent
 * did not start, the log may be what failed, the {@code log} option may not have been read, and the
 * operator must see the line whatever the logging configuration (docs/ARCHITECTURE.md, "Decisions").
 */
public final class AgentMain {
    /**
     * The outcome of an attach, for {@code java -jar mtls-agent.jar attach} to read back through
     * the attach API (the attached JVM's log may be far from the operator's terminal): "started: "
     * or "applied: " with the start line, then one "problem: " line per problem; or "not started: ".
     */
    public static final String ATTACH_OUTCOME_PROPERTY = "mtls.agent.attach";

    /**
     * The agent running in this JVM, or null. Once per JVM: {@code -javaagent} given twice (say
     * once in JAVA_TOOL_OPTIONS and once on the command line), or an attach after
     * {@code -javaagent}, reach this same class through the application class loader. A second
     * {@code -javaagent} is ignored; a second attach applies its options.
     */
    private static FirstProfileLoad running;
    /** The agent waiting for the first use of TLS to install itself (premain without strict), or null. */
    private static FirstTlsUse waiting;

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation, boolean attached) {
        if ((running != null || waiting != null) && !attached) {
            System.err.println(Printable.escape("mtls-agent: already started in this JVM; ignoring the second"
                    + " -javaagent" + (arguments == null || arguments.isEmpty() ? "" : " (arguments '" + arguments + "')")));
            return;
        }
        try {
            if (waiting != null) {
                // An attach after -javaagent: the agent it replaces the options of must be installed first.
                running = waiting.install();
                waiting = null;
            }
            FirstProfileLoad previous = running;
            AgentOptions options = options(arguments, attached);
            if (!attached && !options.strict()) {
                // Nothing that can wait happens in premain: the agent installs itself at the first use of TLS.
                waiting = FirstTlsUse.registerUnlessLoaded(options, instrumentation);
                if (waiting != null) {
                    return;
                }
            }
            running = AgentInstaller.install(options, instrumentation, attached, previous);
            if (attached) {
                reportAttach((previous == null ? "started: " : "applied: these options replace the ones the agent"
                        + " had; ") + running.summary() + "\nnote: " + FirstProfileLoad.ATTACH_CAVEAT);
            }
        } catch (AgentNotStartedException e) {
            // Nothing was changed, so a later attach with a corrected configuration may start it.
            notStarted(arguments, attached, e.getMessage(), e.details());
        } catch (Throwable t) {
            notStarted(arguments, attached, t.toString(), t.toString());
        }
    }

    /**
     * The options, when they name a profile file; else the agent does not start (with strict, the
     * JVM stops). Cheap enough for premain: none of the installer, hook or logging classes is
     * loaded unless there is a problem to report.
     */
    private static AgentOptions options(String arguments, boolean attached) throws AgentNotStartedException {
        AgentOptions options = AgentOptions.fromSystem(arguments);
        if (options.profiles().isEmpty()) {
            LogThreshold.set(options.log());
            List<String> problems = new ArrayList<>(options.problems());
            problems.add("no profile file: set profiles=FILE in the agent arguments, -Dmtls.profiles=FILE or"
                    + " MTLS_PROFILES=FILE");
            AgentInstaller.stopIfStrict(options, problems, attached);
            for (String problem : options.problems()) {
                MtlsLog.error(problem);
            }
            throw new AgentNotStartedException("no profile file (set profiles=FILE in the agent arguments,"
                    + " -Dmtls.profiles=FILE or MTLS_PROFILES=FILE)");
        }
        return options;
    }

    private static void notStarted(String arguments, boolean attached, String reason, String details) {
        // Escaped as MtlsLog escapes: the reason may quote an option's value.
        System.err.println(Printable.escape("mtls-agent: not started: " + reason));
        if (attached) {
            reportAttach("not started: " + details);
        } else if (StrictRequest.isSet(arguments)) {
            // Whatever stopped the agent (a security manager, a runtime image without a module it
            // needs, a bug of ours), strict promised that the JVM would not run without it.
            System.err.println("mtls-agent: strict=true and the agent did not start; exiting with status 1");
            System.err.flush();
            System.exit(1);
        }
    }

    private static void reportAttach(String outcome) {
        try {
            System.setProperty(ATTACH_OUTCOME_PROPERTY, outcome);
        } catch (RuntimeException e) {
            // A security manager that refuses: the outcome is in that JVM's log all the same.
        }
    }
}
