package dev.mtls.material;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One CRL as loaded from its file (PEM or DER), with the file it came from for messages and
 * {@code probe}, and whether its signature verifies with a given issuer's key, remembered: the
 * check runs on every handshake, and the JDK's own {@code X509CRL.verify} holds the CRL's lock.
 */
public final class RevocationList {
    /** Issuers remembered per CRL; a CRL is signed by one CA, so more than this means odd traffic, not reuse. */
    private static final int ISSUERS_REMEMBERED = 8;

    private final Path file;
    private final X509CRL crl;
    private final ConcurrentHashMap<X509Certificate, Boolean> signedBy = new ConcurrentHashMap<>(4);

    public RevocationList(Path file, X509CRL crl) {
        this.file = Objects.requireNonNull(file, "file");
        this.crl = Objects.requireNonNull(crl, "crl");
    }

    public Path file() {
        return file;
    }

    public X509CRL crl() {
        return crl;
    }

    /**
     * Whether the CRL's signature verifies with {@code issuer}'s public key (the JDK verifies it).
     * The answer lives as long as this loaded CRL: a reload that reads the file again starts afresh.
     */
    public boolean isSignedBy(X509Certificate issuer) {
        Boolean known = signedBy.get(issuer);
        if (known != null) {
            return known.booleanValue();
        }
        boolean verified;
        try {
            crl.verify(issuer.getPublicKey());
            verified = true;
        } catch (GeneralSecurityException | RuntimeException e) {
            verified = false;
        }
        if (signedBy.size() < ISSUERS_REMEMBERED) {
            signedBy.put(issuer, Boolean.valueOf(verified));
        }
        return verified;
    }

    @Override
    public String toString() {
        return "CRL " + file;
    }
}
