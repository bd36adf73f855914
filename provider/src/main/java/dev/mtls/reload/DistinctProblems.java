package dev.mtls.reload;

import dev.mtls.profile.ProfileError;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Logs each distinct problem once while it lasts, rather than on every tick that retries: a
 * problem is logged when it appears, and again only if it went away and came back. Distinct
 * means the same file, profile and message; the line number is left out so that editing other
 * parts of the file does not repeat an old error.
 */
final class DistinctProblems {
    /** Key to the profile or listener it concerns, as {@link #owner} names it (null for the file as a whole). */
    private Map<String, String> present = new HashMap<>();
    private final Map<String, Pending> found = new LinkedHashMap<>();

    /** Adds a problem found by the check in progress. */
    void add(Level level, ProfileError problem) {
        found.putIfAbsent(key(problem), new Pending(level, problem.toString(), owner(problem)));
    }

    /** How {@link #finish(ReloadLog, Set)} names a profile: apart from a listener of the same name. */
    static String profileOwner(String name) {
        return "profile " + name;
    }

    static String listenerOwner(String name) {
        return "listener " + name;
    }

    private static String owner(ProfileError problem) {
        if (problem.profile() != null) {
            return profileOwner(problem.profile());
        }
        return problem.listener() != null ? listenerOwner(problem.listener()) : null;
    }

    /** Logs the problems of this check that the previous check did not have, then starts afresh. */
    void finish(ReloadLog log) {
        finish(log, Set.of());
    }

    /**
     * As {@link #finish(ReloadLog)}; the problems of profiles and listeners in {@code notExamined}
     * (taken over without loading them again, so their warnings were not produced; named by
     * {@link #profileOwner} and {@link #listenerOwner}) count as still present.
     */
    void finish(ReloadLog log, Set<String> notExamined) {
        Map<String, String> now = new HashMap<>();
        for (Map.Entry<String, String> entry : present.entrySet()) {
            if (entry.getValue() != null && notExamined.contains(entry.getValue())) {
                now.put(entry.getKey(), entry.getValue());
            }
        }
        for (Map.Entry<String, Pending> entry : found.entrySet()) {
            if (!present.containsKey(entry.getKey())) {
                log.log(entry.getValue().level, entry.getValue().text);
            }
            now.put(entry.getKey(), entry.getValue().owner);
        }
        present = now;
        found.clear();
    }

    /** A check that did not get as far as loading leaves the problems as they were. */
    void abandon() {
        found.clear();
    }

    private static String key(ProfileError problem) {
        return problem.file() + "\n" + owner(problem) + "\n" + problem.message();
    }

    private static final class Pending {
        final Level level;
        final String text;
        final String owner;

        Pending(Level level, String text, String owner) {
            this.level = level;
            this.text = text;
            this.owner = owner;
        }
    }
}
