package dev.mtls.listen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per listener since the agent started, by name, so that the counts go on across reloads: client
 * certificates accepted, clients an {@code optional} listener let in without a certificate, and
 * handshakes refused, by reason (including a client that sent no certificate to a
 * {@code mandatory} listener, which SunJSSE refuses with its own alert).
 */
public final class ListenerCounts {
    private static final ConcurrentHashMap<String, Counts> COUNTS = new ConcurrentHashMap<>();

    private ListenerCounts() {
    }

    /** A client certificate passed the listener's trust and allow-list. */
    public static void accepted(String listener) {
        counts(listener).accepted.increment();
    }

    /** A client answered an {@code optional} listener's certificate request with none, and was let in. */
    public static void acceptedWithoutCertificate(String listener) {
        counts(listener).acceptedWithoutCertificate.increment();
    }

    public static void refused(String listener, String reason) {
        counts(listener).refused.computeIfAbsent(reason, key -> new LongAdder()).increment();
    }

    /** Client certificates accepted under this listener; 0 for one never used. */
    public static long acceptedCount(String listener) {
        Counts counts = COUNTS.get(listener);
        return counts == null ? 0 : counts.accepted.sum();
    }

    /** Clients let in without a certificate under this (optional) listener; 0 for none. */
    public static long acceptedWithoutCertificateCount(String listener) {
        Counts counts = COUNTS.get(listener);
        return counts == null ? 0 : counts.acceptedWithoutCertificate.sum();
    }

    /** Handshakes refused under this listener, by reason, sorted; empty for none. */
    public static Map<String, Long> refusedCounts(String listener) {
        Map<String, Long> result = new TreeMap<>();
        Counts counts = COUNTS.get(listener);
        if (counts != null) {
            for (Map.Entry<String, LongAdder> entry : counts.refused.entrySet()) {
                result.put(entry.getKey(), entry.getValue().sum());
            }
        }
        return result;
    }

    private static Counts counts(String listener) {
        Counts counts = COUNTS.get(listener);
        return counts != null ? counts : COUNTS.computeIfAbsent(listener, name -> new Counts());
    }

    private static final class Counts {
        final LongAdder accepted = new LongAdder();
        final LongAdder acceptedWithoutCertificate = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> refused = new ConcurrentHashMap<>();
    }
}
