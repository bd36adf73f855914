package dev.mtls.listen;

import dev.mtls.log.MtlsLog;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A refused handshake: counted, and logged once per listener, reason and client address. A scan
 * from many addresses must not flood the log: past {@value #CLIENTS_LOGGED} distinct clients for
 * one listener and reason, one more line says so and the rest are only counted (JMX shows them).
 */
public final class Refusals {
    static final int CLIENTS_LOGGED = 20;
    private static final ConcurrentHashMap<String, AtomicInteger> CLIENTS = new ConcurrentHashMap<>();

    private Refusals() {
    }

    /**
     * @param reason a short fixed word for counting and the once-key ({@code no-certificate},
     *        {@code untrusted}, {@code not-allowed}, {@code revoked}, {@code revocation-unknown},
     *        {@code unusable}, {@code port-unknown}, {@code not-wrapped})
     * @param message what the operator reads, naming the listener and the problem
     * @return whether a line was written
     */
    public static boolean refuse(String listener, String reason, String client, String message) {
        ListenerCounts.refused(listener, reason);
        String key = "listener-refused:" + listener + ':' + reason;
        if (!MtlsLog.firstTime(key + ':' + client, Level.WARNING)) {
            return false;
        }
        AtomicInteger clients = CLIENTS.computeIfAbsent(key, k -> new AtomicInteger());
        int seen = clients.incrementAndGet();
        if (seen <= CLIENTS_LOGGED) {
            MtlsLog.warn(message + " (client " + client + ")");
            return true;
        }
        if (seen == CLIENTS_LOGGED + 1) {
            MtlsLog.warn("listener '" + listener + "': more clients refused (" + reason
                    + "); further refusals for this reason are counted, not logged (JMX)");
            return true;
        }
        return false;
    }
}
