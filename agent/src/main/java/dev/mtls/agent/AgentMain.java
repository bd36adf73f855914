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
            return;
        }
        try {
            AgentInstaller.install(arguments, instrumentation, attached);
        } catch (AgentNotStartedException e) {
            // Nothing was changed yet, so a later attach with a corrected configuration may start it.
            STARTED.set(false);
            System.err.println("mtls-agent: not started: " + e.getMessage());
        } catch (Throwable t) {
            System.err.println("mtls-agent: not started: " + t);
        }
    }
}
