package dev.mtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.CRLReason;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A CRL made at test time with Bouncy Castle's {@link X509v2CRLBuilder}: signed by a test CA (or
 * by another key under the CA's name, for a signature that must not verify), listing the
 * certificates revoked with a reason, current for a day unless told otherwise.
 */
public final class TestCrl {
    private final X500Principal issuerName;
    private KeyPair signer;
    private Instant thisUpdate = Instant.now().minus(Duration.ofMinutes(5));
    private Instant nextUpdate = Instant.now().plus(Duration.ofDays(1));
    private final List<Object[]> revoked = new ArrayList<>();

    private TestCrl(TestCertificate ca) {
        this.issuerName = ca.certificate().getSubjectX500Principal();
        this.signer = ca.keyPair();
    }

    public static TestCrl by(TestCertificate ca) {
        return new TestCrl(ca);
    }

    /** Lists {@code certificate} as revoked an hour ago for {@code reason} (null: no reason extension). */
    public TestCrl revoke(X509Certificate certificate, CRLReason reason) {
        return revoke(certificate.getSerialNumber(), reason);
    }

    /** Lists a serial number as revoked, e.g. the other entries that make a CRL as long as a real one. */
    public TestCrl revoke(BigInteger serial, CRLReason reason) {
        revoked.add(new Object[] {serial, Instant.now().minus(Duration.ofHours(1)), reason});
        return this;
    }

    /** Signed with another key than the CA's (the name still the CA's). */
    public TestCrl signedBy(TestCertificate other) {
        this.signer = other.keyPair();
        return this;
    }

    /** Past its nextUpdate: issued two days ago, due yesterday. */
    public TestCrl stale() {
        thisUpdate = Instant.now().minus(Duration.ofDays(2));
        nextUpdate = Instant.now().minus(Duration.ofDays(1));
        return this;
    }

    public X509CRL create() {
        try {
            X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(issuerName, Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (Object[] entry : revoked) {
                CRLReason reason = (CRLReason) entry[2];
                builder.addCRLEntry((BigInteger) entry[0], Date.from((Instant) entry[1]),
                        reason == null ? 0 : reason.ordinal());
            }
            return new JcaX509CRLConverter().getCRL(builder.build(TestPki.contentSigner(signer)));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create test CRL for " + issuerName, e);
        }
    }

    public Path writePem(Path file) {
        X509CRL crl = create();
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(crl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public Path writeDer(Path file) {
        try {
            return Files.write(file, create().getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
