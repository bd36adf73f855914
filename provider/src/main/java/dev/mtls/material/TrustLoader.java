package dev.mtls.material;

import dev.mtls.profile.Secret;
import dev.mtls.profile.TrustSpec;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a profile's trust anchors: every CERTIFICATE in a PEM bundle, or every certificate entry
 * (and the certificate of every key entry) of a PKCS12/JKS keystore; a store password may be
 * absent for reading certificates. An empty set is a {@link MaterialException}.
 */
public final class TrustLoader {
    public TrustAnchors load(TrustSpec spec) throws MaterialException {
        Objects.requireNonNull(spec, "spec");
        if (spec.isApplicationTrust()) {
            return TrustAnchors.applicationTrust();
        }
        if (!spec.isKeyStore()) {
            List<X509Certificate> certificates = PemReader.readCertificates(spec.certificates());
            return new TrustAnchors(List.copyOf(new LinkedHashSet<>(certificates)), spec.includeDefault());
        }
        Path file = spec.keyStore();
        KeyStore store = KeyStoreReader.read(file, spec.storeType(), spec.storePassword());
        Set<X509Certificate> certificates = certificates(file, store);
        if (certificates.isEmpty() && spec.storePassword() == null && "PKCS12".equals(store.getType())) {
            certificates = emptyPasswordCertificates(file);
        }
        if (certificates.isEmpty() && "PKCS12".equals(store.getType())) {
            certificates = openSslCertificates(file, spec.storePassword());
        }
        if (certificates.isEmpty()) {
            throw new MaterialException(file + ": no certificate found" + (spec.storePassword() == null
                    ? " (if the keystore's certificates are password-protected, set storePassword)" : ""));
        }
        return new TrustAnchors(new ArrayList<>(certificates), spec.includeDefault());
    }

    private static Set<X509Certificate> certificates(Path file, KeyStore store) throws MaterialException {
        Set<X509Certificate> certificates = new LinkedHashSet<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                // getCertificate answers for both kinds: the trusted certificate, or a key entry's leaf.
                Certificate certificate = store.getCertificate(alias);
                if (certificate instanceof X509Certificate) {
                    certificates.add((X509Certificate) certificate);
                }
            }
        } catch (KeyStoreException e) {
            throw new MaterialException(file + ": cannot list the keystore's entries", e);
        } catch (RuntimeException e) {
            throw KeyStoreEntries.damaged(file, e);
        }
        return certificates;
    }

    /** KeyStore.store(out, null) still encrypts a PKCS12's certificates, with the empty password. */
    private static Set<X509Certificate> emptyPasswordCertificates(Path file) {
        try {
            return certificates(file, KeyStoreReader.read(file, "PKCS12", Secret.empty()));
        } catch (MaterialException notEmpty) {
            return Set.of();
        }
    }

    /**
     * The JDK lists a PKCS12 certificate only when it carries Oracle's trusted-key-usage
     * attribute, which {@code openssl pkcs12 -export -nokeys} does not write (before OpenSSL
     * 3.2's -jdktrust): such a truststore looks empty. Bouncy Castle's reader lists every
     * certificate, and an operator who named the file as a truststore means them as anchors.
     */
    private static Set<X509Certificate> openSslCertificates(Path file, Secret password) {
        try {
            Set<X509Certificate> jdkCertificates = new LinkedHashSet<>();
            // Re-parsed by the JDK, so the trust manager sees the same certificate class as for PEM.
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (X509Certificate certificate : certificates(file,
                    KeyStoreReader.readWith(file, "PKCS12", BouncyCastle.provider(), password))) {
                jdkCertificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(certificate.getEncoded())));
            }
            return jdkCertificates;
        } catch (MaterialException | GeneralSecurityException | RuntimeException e) {
            // Not an OpenSSL-made store either: the caller reports the store as empty.
            return Set.of();
        }
    }
}
