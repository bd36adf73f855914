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

    /** The reload interval in force, e.g. "PT30S"; "PT0S" when the timer is off. */
    String getReloadInterval();

    /** One row per profile in force. */
    List<ProfileInfo> getProfiles();

    /** Checks the files now and says what happened, e.g. "reloaded (generation 5): added [a], ...". */
    String reload();
}
