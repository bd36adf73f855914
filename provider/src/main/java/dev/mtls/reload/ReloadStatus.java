package dev.mtls.reload;

import java.time.Instant;

/**
 * What JMX shows about reloading: when the files were last checked, when a snapshot was last
 * published, the last error (empty once a check succeeds), and how many checks failed. Written
 * only by the check in progress (one at a time), read from any thread.
 */
final class ReloadStatus {
    private volatile Instant lastCheck;
    private volatile Instant lastReload;
    private volatile String lastError = "";
    private volatile long failures;

    void checked(Instant when) {
        lastCheck = when;
    }

    void reloaded(Instant when) {
        lastReload = when;
    }

    void failed(String error) {
        lastError = error;
        failures++;
    }

    void succeeded() {
        lastError = "";
    }

    /** Null before the first check. */
    Instant lastCheck() {
        return lastCheck;
    }

    /** Null until a snapshot was published. */
    Instant lastReload() {
        return lastReload;
    }

    String lastError() {
        return lastError;
    }

    long failures() {
        return failures;
    }
}
