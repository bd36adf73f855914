package dev.mtls.agent;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Entry point of {@code -javaagent:mtls-agent.jar=...} and of attaching to a running JVM. It only
 * hands off to {@link AgentInstaller}; whatever goes wrong there, the application runs on and
 * stderr gets one line saying why the agent did not start.
 */
public final class AgentMain {
    /**
     * Once per JVM: {@code -javaagent} given twice (say once in JAVA_TOOL_OPTIONS and once on the
     * command line), or an attach after {@code -javaagent}, reach this same class through the
     * application class loader.
     */
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /**
     * The outcome of an attach, for {@code java -jar mtls-agent.jar attach} to read back through
     * the attach API (the attached JVM's log may be far from the operator's terminal).
     */
    public static final String ATTACH_OUTCOME_PROPERTY = "mtls.agent.attach";

    private AgentMain() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        if (!STARTED.compareAndSet(false, true)) {
            System.err.println("mtls-agent: already started in this JVM; ignoring the second "
                    + (attached ? "attach" : "-javaagent") + (arguments == null || arguments.isEmpty() ? ""
                    : " (arguments '" + arguments + "')"));
            reportAttach(attached, "already started in this JVM; this attach was ignored");
            return;
        }
        try {
            String summary = AgentInstaller.install(arguments, instrumentation, attached);
            reportAttach(attached, "started: " + summary);
        } catch (AgentNotStartedException e) {
            // Nothing was changed yet, so a later attach with a corrected configuration may start it.
            STARTED.set(false);
            System.err.println("mtls-agent: not started: " + e.getMessage());
            reportAttach(attached, "not started: " + e.details());
        } catch (Throwable t) {
            System.err.println("mtls-agent: not started: " + t);
            reportAttach(attached, "not started: " + t);
        }
    }

    private static void reportAttach(boolean attached, String outcome) {
        if (!attached) {
            return;
        }
        try {
            System.setProperty(ATTACH_OUTCOME_PROPERTY, outcome);
        } catch (RuntimeException e) {
            // A security manager that refuses: the outcome is in that JVM's log all the same.
        }
    }
}
