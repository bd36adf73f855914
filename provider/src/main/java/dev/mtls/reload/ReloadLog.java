package dev.mtls.reload;

import dev.mtls.log.MtlsLog;
import java.lang.System.Logger.Level;

/**
 * Where the watcher reports: by default {@link MtlsLog}, the agent's one log; tests pass one that
 * records, and the first load holds its lines back ({@link HeldLog}). Messages never contain key
 * material or passwords.
 */
@FunctionalInterface
public interface ReloadLog {
    /** @param message without the "mtls-agent: " prefix, which the log adds */
    void log(Level level, String message);

    /** {@link MtlsLog}. */
    static ReloadLog standard() {
        return ToMtlsLog.INSTANCE;
    }

    /** A class rather than a lambda: the watcher starts in the application's first TLS call, where lambdas cost bootstrap time. */
    final class ToMtlsLog implements ReloadLog {
        static final ToMtlsLog INSTANCE = new ToMtlsLog();

        private ToMtlsLog() {
        }

        @Override
        public void log(Level level, String message) {
            MtlsLog.log(level, message);
        }
    }
}
