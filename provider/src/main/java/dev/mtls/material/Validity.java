package dev.mtls.material;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where a certificate stands in its validity period at one instant, and the one text for each
 * state, so that check, probe, the log and JMX word it the same way: "valid until T", "expires on
 * T (in N days)", "expired on T", "not valid before T" (T in ISO-8601, UTC).
 */
public final class Validity {
    /** The states, in the order a certificate passes through them. */
    public enum State {
        NOT_YET_VALID, VALID, EXPIRING, EXPIRED
    }

    /**
     * The {@code expiryWarning} option's default (the agent repeats it in AgentOptions, which must
     * not load this package at start).
     */
    public static final Duration DEFAULT_WARNING = Duration.ofDays(14);

    private final X509Certificate certificate;
    private final State state;
    private final long days;

    private Validity(X509Certificate certificate, State state, long days) {
        this.certificate = certificate;
        this.state = state;
        this.days = days;
    }

    /** @param warning how close to its not-after a certificate counts as expiring; zero for never */
    public static Validity of(X509Certificate certificate, Instant now, Duration warning) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            return new Validity(certificate, State.NOT_YET_VALID, 0);
        }
        if (now.isAfter(notAfter)) {
            return new Validity(certificate, State.EXPIRED, 0);
        }
        // Not now.plus(warning): a warning too long for an Instant would throw.
        if (Duration.between(now, notAfter).compareTo(warning) < 0) {
            return new Validity(certificate, State.EXPIRING, ChronoUnit.DAYS.between(now, notAfter));
        }
        return new Validity(certificate, State.VALID, 0);
    }

    public State state() {
        return state;
    }

    /** Whether the certificate can be presented now (valid, expiring or not). */
    public boolean usable() {
        return state == State.VALID || state == State.EXPIRING;
    }

    /** The state's text: "valid until T", "expires on T (in N days)", "expired on T", "not valid before T". */
    public String text() {
        // Ifs, not a switch: a switch on an enum makes javac add a class, loaded in the first TLS call.
        if (state == State.NOT_YET_VALID) {
            return "not valid before " + certificate.getNotBefore().toInstant();
        }
        if (state == State.EXPIRED) {
            return "expired on " + notAfter();
        }
        if (state == State.EXPIRING) {
            return "expires on " + notAfter() + " (in " + days + (days == 1 ? " day)" : " days)");
        }
        return "valid until " + notAfter();
    }

    /** "certificate CN=client,O=acme expired on T", "certificate CN=client,O=acme is valid until T", ... */
    public String sentence() {
        boolean adjective = state == State.VALID || state == State.NOT_YET_VALID;
        return "certificate " + Names.subject(certificate) + (adjective ? " is " : " ") + text();
    }

    private Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }
}
