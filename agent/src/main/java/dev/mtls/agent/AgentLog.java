package dev.mtls.agent;

import dev.mtls.jsse.LogThreshold;
import dev.mtls.profile.Printable;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * The agent's log: {@code System.Logger} "dev.mtls", so that whatever bridge the host installed
 * picks the lines up, filtered by the {@code log} option on top of the backend's own level.
 * Every line starts with "mtls-agent: " so an operator can grep for it in a mixed log.
 *
 * <p>The logger is looked up on first use, not at class initialisation: looking it up loads the
 * host's {@code System.LoggerFinder}, which an agent that fails before logging anything should
 * not do.
 *
 * <p>Once the JVM has begun to exit while the agent still has something to say (its first load
 * reporting from a short-lived JVM), lines go straight to stderr instead: the backend may already
 * be shut down ({@code java.util.logging} drops every line once its own shutdown hook has reset
 * it). A line the backend was given just as the exit began is printed again on stderr, since the
 * backend may have dropped it: twice rather than never.
 */
final class AgentLog {
    private static volatile Logger logger;
    private static volatile boolean exiting;

    private AgentLog() {
    }

    /** The {@code log} option, for the agent's lines and for those the provider writes during handshakes. */
    static void threshold(Level level) {
        LogThreshold.set(level);
    }

    /** From a shutdown hook: from now on, lines go to stderr (see the class comment). */
    static void exiting() {
        exiting = true;
    }

    static void error(String message) {
        log(Level.ERROR, message);
    }

    static void warn(String message) {
        log(Level.WARNING, message);
    }

    static void info(String message) {
        log(Level.INFO, message);
    }

    static void debug(String message) {
        log(Level.DEBUG, message);
    }

    static void log(Level level, String message) {
        if (!LogThreshold.allows(level)) {
            return;
        }
        // Lines quote names, hosts and paths from files and options: one log line stays one line.
        message = Printable.escape(message);
        if (!exiting) {
            Logger current = logger;
            if (current == null) {
                current = System.getLogger("dev.mtls");
                logger = current;
            }
            current.log(level, "mtls-agent: " + message);
            if (!exiting) {
                return;
            }
        }
        System.err.println("mtls-agent: " + message);
    }
}
