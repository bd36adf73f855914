package dev.mtls.log;

import java.lang.System.Logger.Level;

/**
 * The one way the agent and the provider write a line: {@code System.Logger} "dev.mtls", so that
 * whatever logging bridge the host installed picks it up; every line starts with "mtls-agent: "
 * so an operator can grep for it in a mixed log; the {@code log} option ({@link LogThreshold})
 * applies on top of the backend's own level; control characters are escaped, since lines quote
 * names, hosts and paths taken from files ({@link Printable}). {@link #once} is the variant for a
 * line a handshake would otherwise repeat.
 *
 * <p>The logger is looked up at the first line, never at class initialisation: the lookup loads
 * the host's {@code System.LoggerFinder} (with {@code java.util.logging}, tens of milliseconds),
 * which a JVM that never has anything to say should not pay.
 */
public final class MtlsLog {
    private static final String PREFIX = "mtls-agent: ";
    private static volatile System.Logger logger;

    private MtlsLog() {
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    public static void warn(String message) {
        log(Level.WARNING, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    /** Whether a line at this level would be written, to skip building costly messages. */
    public static boolean enabled(Level level) {
        try {
            return LogThreshold.allows(level) && logger().isLoggable(level);
        } catch (Throwable e) {
            return false; // as in log: a broken backend must not break the caller
        }
    }

    /**
     * For a failure nobody expected (a bug of ours, a JDK whose internals changed): the backend
     * gets the stack trace an operator would send with a report.
     */
    public static void warn(String message, Throwable cause) {
        log(Level.WARNING, message, cause);
    }

    /** @param message without the "mtls-agent: " prefix, which this adds */
    public static void log(Level level, String message) {
        log(level, message, null);
    }

    /** @param cause logged with its stack trace, or null */
    public static void log(Level level, String message, Throwable cause) {
        if (!LogThreshold.allows(level)) {
            return;
        }
        try {
            if (cause == null) {
                logger().log(level, PREFIX + Printable.escape(message));
            } else {
                logger().log(level, PREFIX + Printable.escape(message), cause);
            }
        } catch (Throwable ignored) {
            // Lines are written from inside the application's handshakes and its first TLS call:
            // whatever the logging backend does (a broken bridge, a finder that fails to load),
            // the host application must go on.
        }
    }

    /**
     * Logs the line the first time its key is seen (see {@link OnceLog} for the bound), so that a
     * busy host does not repeat one per handshake.
     *
     * @param key what makes two lines the same event, for example the profile, the reason and the peer
     */
    public static void once(String key, Level level, String message) {
        once(key, level, message, null);
    }

    /** As {@link #once(String, Level, String)}, with the stack trace of an unexpected failure. */
    public static void once(String key, Level level, String message, Throwable cause) {
        if (LogThreshold.allows(level) && OnceLog.first(key)) {
            log(level, message, cause);
        }
    }

    /**
     * The guard behind {@link #once}, for a caller that chooses between lines (say, a summary line
     * after the first few): true the first time a key is seen and a line at this level would be
     * written.
     */
    public static boolean firstTime(String key, Level level) {
        return LogThreshold.allows(level) && OnceLog.first(key);
    }

    private static System.Logger logger() {
        System.Logger current = logger;
        if (current == null) {
            current = System.getLogger("dev.mtls");
            logger = current;
        }
        return current;
    }
}
