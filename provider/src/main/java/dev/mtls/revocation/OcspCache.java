package dev.mtls.revocation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verified OCSP answers by issuer, serial and responder, each until its nextUpdate (or the
 * default validity), at most {@link #MAX_ENTRIES}, the least recently used dropped first. The lock
 * guards only the map (no I/O under it): a handshake waits for a lookup, never for a responder.
 */
final class OcspCache {
    /** A few hundred bytes each: room for the certificates of many upstreams, bounded whatever the traffic. */
    static final int MAX_ENTRIES = 4096;

    private final Map<String, OcspAnswer> answers;

    OcspCache(int maxEntries) {
        answers = new Bounded(maxEntries);
    }

    /** The answer still valid at {@code now}, or null; an expired one is dropped. */
    synchronized OcspAnswer get(String key, Instant now) {
        OcspAnswer answer = answers.get(key);
        if (answer != null && !now.isBefore(answer.validUntil)) {
            answers.remove(key);
            return null;
        }
        return answer;
    }

    synchronized void put(String key, OcspAnswer answer) {
        answers.put(key, answer);
    }

    synchronized int size() {
        return answers.size();
    }

    synchronized void clear() {
        answers.clear();
    }

    /** Access-ordered, dropping the eldest past the bound. */
    private static final class Bounded extends LinkedHashMap<String, OcspAnswer> {
        private static final long serialVersionUID = 1L;
        private final int maxEntries;

        Bounded(int maxEntries) {
            super(16, 0.75f, true);
            this.maxEntries = maxEntries;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OcspAnswer> eldest) {
            return size() > maxEntries;
        }
    }
}
