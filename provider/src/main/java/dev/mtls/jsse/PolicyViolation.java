package dev.mtls.jsse;

/**
 * A check of a profile's upstream policy refused the handshake; the message is the problem alone
 * ("negotiated TLSv1.2, …"). {@link UpstreamChecks} adds the profile and the check's name, logs it
 * once and turns it into the handshake's {@link java.security.cert.CertificateException}.
 */
final class PolicyViolation extends Exception {
    private static final long serialVersionUID = 1L;

    PolicyViolation(String problem) {
        super(problem, null, false, false);
    }
}
