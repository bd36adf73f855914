package dev.mtls.agent.it;

import java.util.Objects;

/** What a test server says it saw in one request's handshake: the client certificate and the protocol. */
final class ServerReport {
    /** The subject when the client sent no certificate. */
    static final String NONE = "none";

    final String clientSubject;
    final String protocol;

    ServerReport(String clientSubject, String protocol) {
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
