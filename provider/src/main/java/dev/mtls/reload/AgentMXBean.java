package dev.mtls.reload;

import java.util.List;

/**
 * The agent as JMX shows it, under {@code dev.mtls:type=Agent}: which file, which snapshot, how
 * reloading goes, and one row per profile. Nothing here reveals a key or a password.
 */
public interface AgentMXBean {
    /** The profile file, as configured. */
    String getProfileFile();

    /** The generation of the snapshot in force; it grows by one with each reload that changed something. */
    long getGeneration();

    /** When a snapshot was last published (ISO-8601), or empty before the first. */
    String getLastReloadTime();

    /** When the files were last checked (ISO-8601), or empty before the first check. */
    String getLastCheckTime();

    /** The first error of the last check, or empty when it had none. */
    String getLastError();

    /** How many checks hit an error (a file that does not parse, a profile that does not load). */
    long getFailureCount();

    /** How many checks in a row hit an error; zero once one succeeds. */
    long getConsecutiveFailures();

    /**
     * When the check running now started (ISO-8601), or empty when none is running. A file read
     * that hangs is abandoned after a few seconds, so a value much older than that is worth a look.
     */
    String getCheckInProgressSince();

    /** When the last check ended (ISO-8601), or empty before the first. */
    String getLastCheckCompletedTime();

    /**
     * How the last check ended: its kind and summary, e.g. "UNCHANGED: unchanged (generation 3)" or
     * "KEPT_PREVIOUS: /etc/mtls/profiles.yaml: not a regular file (a FIFO or a device?); keeping
     * generation 3"; empty before the first.
     */
    String getLastCheckResult();

    /** The reload interval in force, e.g. "PT30S"; "PT0S" when the timer is off. */
    String getReloadInterval();

    /** One row per profile in force. */
    List<ProfileInfo> getProfiles();

    /** One row per listener in force (docs/LISTENERS.md, "Observability"). */
    List<ListenerInfo> getListeners();

    /** Checks the files now and says what happened, e.g. "reloaded (generation 5): added [a], ...". */
    String reload();
}
