package dev.mtls.revocation;

import java.util.Objects;

/** What one source said of one certificate: good, revoked or unknown, with where it came from. */
public final class Status {
    /** The three answers a source can give. */
    public enum State {
        GOOD,
        REVOKED,
        /** Not covered, stale, "unknown" from a responder, or the responder unreachable. */
        UNKNOWN
    }

    private final State state;
    private final String source;
    private final String detail;

    /**
     * @param source where the answer came from, for messages and {@code probe}: {@code CRL /path},
     *     {@code OCSP http://…}, {@code stapled OCSP}, {@code cached OCSP http://…}
     * @param detail why, in a few words (revoked on …, reason …; CRL past its nextUpdate …); may be empty
     */
    public Status(State state, String source, String detail) {
        this.state = Objects.requireNonNull(state, "state");
        this.source = Objects.requireNonNull(source, "source");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public static Status unknown(String source, String detail) {
        return new Status(State.UNKNOWN, source, detail);
    }

    public State state() {
        return state;
    }

    public String source() {
        return source;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return state.name().toLowerCase(java.util.Locale.ROOT) + " (" + source + (detail.isEmpty() ? "" : ": " + detail)
                + ")";
    }
}
