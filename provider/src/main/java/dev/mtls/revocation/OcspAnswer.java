package dev.mtls.revocation;

import java.time.Instant;

/**
 * One OCSP response for one certificate, verified (CertID, signature, dates): what it says and
 * until when it may be used (its nextUpdate, or {@link OcspResponses#DEFAULT_VALIDITY} after its
 * thisUpdate when the responder gives none).
 */
final class OcspAnswer {
    final Status.State state;
    final String detail;
    final Instant received;
    final Instant validUntil;

    OcspAnswer(Status.State state, String detail, Instant received, Instant validUntil) {
        this.state = state;
        this.detail = detail;
        this.received = received;
        this.validUntil = validUntil;
    }

    Status status(String source) {
        return new Status(state, source, detail);
    }

    /** Only a definite answer is worth keeping: "unknown" is asked again next time. */
    boolean cacheable() {
        return state != Status.State.UNKNOWN;
    }

    /**
     * Used in the last quarter of its validity, or in its last minute: time to ask again in the
     * background, so that steady traffic never waits for the responder.
     */
    boolean refreshDue(Instant now) {
        long total = validUntil.toEpochMilli() - received.toEpochMilli();
        long left = validUntil.toEpochMilli() - now.toEpochMilli();
        return left < total / 4 || left < 60_000L;
    }
}
