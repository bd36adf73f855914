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

    RevocationRefusal(String message, Status status) {
        super(message);
        this.status = status;
    }

    /** What decided the refusal. */
    public Status status() {
        return status;
    }

    public boolean isRevoked() {
        return status.state() == Status.State.REVOKED;
    }
}
