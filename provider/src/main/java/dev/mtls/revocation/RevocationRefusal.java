package dev.mtls.revocation;

import java.security.cert.CertificateException;

/**
 * A handshake the revocation check refused, with why: the certificate is {@link Status.State#REVOKED
 * revoked}, or its status is {@link Status.State#UNKNOWN unknown} under {@code onUnknown: fail}. A
 * listener counts the two apart ({@code revoked}, {@code revocation-unknown}).
 */
public final class RevocationRefusal extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final String owner;
    private final String problem;

    /**
     * @param owner as messages name it: {@code profile 'name'} or {@code listener 'name'}
     * @param problem what the check found, without the owner
     */
    RevocationRefusal(String owner, String problem, Status status) {
        super("mtls-agent: " + owner + ": revocation check: " + problem);
        this.owner = owner;
        this.problem = problem;
        this.status = status;
    }

    /** What the check found, without the owner: for {@code probe}'s line. */
    public String problem() {
        return problem;
    }

    /** The message without the "mtls-agent: " prefix, which the log adds. */
    public String logLine() {
        return owner + ": revocation check: " + problem;
    }

    /** What decided the refusal. */
    public Status status() {
        return status;
    }

    public boolean isRevoked() {
        return status.state() == Status.State.REVOKED;
    }
}
