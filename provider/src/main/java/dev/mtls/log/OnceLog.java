package dev.mtls.log;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which lines were already logged, so a busy host does not repeat one per handshake.
 * Callers use {@link MtlsLog#once}.
 */
final class OnceLog {
    /** Wildcard profiles can match unboundedly many hosts; past this, forget and start again. */
    private static final int LIMIT = 4096;
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private OnceLog() {
    }

    /** True the first time a key is seen. */
    static boolean first(String key) {
        if (SEEN.size() >= LIMIT) {
            SEEN.clear();
        }
        return SEEN.add(key);
    }
}
