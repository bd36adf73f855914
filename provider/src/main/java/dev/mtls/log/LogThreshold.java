package dev.mtls.log;

import java.lang.System.Logger.Level;

/**
 * The agent's {@code log} option, applied to every line the agent writes, including those the
 * provider writes from inside a handshake: the backend's own level still applies on top. Without
 * the agent (provider-only mode) nothing is filtered here and the backend alone decides. Errors
 * pass at every setting.
 */
public final class LogThreshold {
    private static volatile int minimumSeverity = Level.ALL.getSeverity();

    private LogThreshold() {
    }

    public static void set(Level level) {
        minimumSeverity = Math.min(level.getSeverity(), Level.ERROR.getSeverity());
    }

    public static boolean allows(Level level) {
        return level.getSeverity() >= minimumSeverity;
    }
}
