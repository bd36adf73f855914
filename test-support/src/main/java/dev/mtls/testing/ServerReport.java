package dev.mtls.testing;

import java.util.Objects;

/** What a test server says it saw in one request's handshake: the client certificate and the protocol. */
public final class ServerReport {
    /** The subject when the client sent no certificate. */
    public static final String NONE = "none";

    public final String clientSubject;
    public final String protocol;

    public ServerReport(String clientSubject, String protocol) {
        this.clientSubject = Objects.requireNonNull(clientSubject);
        this.protocol = Objects.requireNonNull(protocol);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServerReport && ((ServerReport) other).clientSubject.equals(clientSubject)
                && ((ServerReport) other).protocol.equals(protocol);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clientSubject, protocol);
    }

    @Override
    public String toString() {
        return "server received " + (clientSubject.equals(NONE) ? "no client certificate" : clientSubject)
                + " over " + protocol;
    }
}
