package dev.mtls.reload;

import java.time.Instant;

/**
 * What JMX shows about reloading: when the files were last checked, when a snapshot was last
 * published, the last error (empty once a check succeeds), how many checks failed (in all and in a
 * row), whether a check is running and since when, and how the last one ended. Written only by
 * the check in progress (one at a time), read from any thread.
 */
final class ReloadStatus {
    private volatile Instant lastCheck;
    private volatile Instant lastReload;
    private volatile String lastError = "";
    private volatile long failures;
    private volatile long consecutiveFailures;
    private volatile Instant inProgressSince;
    private volatile Instant lastCompleted;
    private volatile String lastResult = "";

    void checked(Instant when) {
        lastCheck = when;
        inProgressSince = when;
    }

    /** The check that started at {@link #checked} ended, one way or another. */
    void completed(Instant when, String result) {
        lastCompleted = when;
        lastResult = result;
        inProgressSince = null;
    }

    void reloaded(Instant when) {
        lastReload = when;
    }

    void failed(String error) {
        lastError = error;
        failures++;
        consecutiveFailures++;
    }

    void succeeded() {
        lastError = "";
        consecutiveFailures = 0;
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

    long consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Null when no check is running. */
    Instant inProgressSince() {
        return inProgressSince;
    }

    /** Null before the first check ended. */
    Instant lastCompleted() {
        return lastCompleted;
    }

    /** How the last check ended, e.g. "UNCHANGED: unchanged (generation 3)"; empty before the first. */
    String lastResult() {
        return lastResult;
    }
}
