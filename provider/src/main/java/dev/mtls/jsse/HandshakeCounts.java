package dev.mtls.jsse;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many full handshakes presented each profile's certificate since the agent started, by
 * profile name, so that the count goes on across reloads that change the profile (JMX shows it).
 * A resumed session presents nothing anew and is not counted. A counter is one map lookup and
 * one LongAdder increment on a path that costs milliseconds.
 */
public final class HandshakeCounts {
    private static final ConcurrentHashMap<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private HandshakeCounts() {
    }

    static void presented(String profile) {
        LongAdder count = COUNTS.get(profile);
        if (count == null) {
            count = COUNTS.computeIfAbsent(profile, name -> new LongAdder());
        }
        count.increment();
    }

    /** Full handshakes that presented this profile's certificate; 0 for a profile never used. */
    public static long of(String profile) {
        LongAdder count = COUNTS.get(profile);
        return count == null ? 0 : count.sum();
    }
}
