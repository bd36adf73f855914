package dev.mtls.reload;

import dev.mtls.log.Printable;
import java.lang.System.Logger.Level;

/**
 * Where the watcher reports. The default writes to {@code System.Logger} "dev.mtls", so the host's
 * logging bridge picks the lines up; the agent passes its own (which applies the {@code log}
 * option), and tests pass one that records. Messages never contain key material or passwords.
 */
@FunctionalInterface
public interface ReloadLog {
    /** @param message without the "mtls-agent: " prefix, which the log adds */
    void log(Level level, String message);

    /** System.Logger "dev.mtls", looked up at the first line logged. */
    static ReloadLog system() {
        return new SystemReloadLog();
    }

    /** A class rather than a lambda: the agent starts the watcher in the application's first TLS call, where lambdas cost bootstrap time. */
    final class SystemReloadLog implements ReloadLog {
        private volatile System.Logger logger;

        @Override
        public void log(Level level, String message) {
            System.Logger current = logger;
            if (current == null) {
                current = System.getLogger("dev.mtls");
                logger = current;
            }
            // Messages quote names and paths from the profile file: one line stays one line.
            current.log(level, "mtls-agent: " + Printable.escape(message));
        }
    }
}
