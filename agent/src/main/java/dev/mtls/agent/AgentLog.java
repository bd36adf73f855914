package dev.mtls.agent;

import dev.mtls.log.LogThreshold;
import dev.mtls.log.Printable;
import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.List;

/**
 * The agent's log: {@code System.Logger} "dev.mtls", so that whatever bridge the host installed
 * picks the lines up, filtered by the {@code log} option on top of the backend's own level.
 * Every line starts with "mtls-agent: " so an operator can grep for it in a mixed log.
 *
 * <p>The logger is looked up on first use, not at class initialisation: looking it up loads the
 * host's {@code System.LoggerFinder}, which an agent that fails before logging anything should
 * not do.
 */
final class AgentLog {
    private static volatile Logger logger;

    private AgentLog() {
    }

    static void error(String message) {
        log(Level.ERROR, message);
    }

    static void errors(List<String> messages) {
        for (String message : messages) {
            error(message);
        }
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
        Logger current = logger;
        if (current == null) {
            current = System.getLogger("dev.mtls");
            logger = current;
        }
        current.log(level, "mtls-agent: " + message);
    }
}
