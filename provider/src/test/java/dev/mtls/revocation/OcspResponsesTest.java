package dev.mtls.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The checks a response must pass, on responses built with Bouncy Castle for the cases a real responder will not produce. */
class OcspResponsesTest {
    static TestCertificate ca;
    static TestCertificate server;
    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @BeforeAll
    static void pki() {
        ca = TestPki.rootCa("ocsp responses CA").create();
        server = ca.issue("server.test").serverAuth().create();
    }

    @Test
    void goodResponseSignedByTheIssuerCountsUntilItsNextUpdate() throws Exception {
        byte[] der = response(ca, CertificateStatus.GOOD, NOW.minusSeconds(60), NOW.plus(Duration.ofHours(1)), null, true);

        OcspAnswer answer = OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW);

        assertThat(answer.state).isEqualTo(Status.State.GOOD);
        assertThat(answer.validUntil).isEqualTo(NOW.plus(Duration.ofHours(1)));
    }

    @Test
    void revokedResponseCarriesTimeAndReason() throws Exception {
        byte[] der = response(ca, new RevokedStatus(Date.from(Instant.parse("2026-05-01T00:00:00Z")), 4),
                NOW.minusSeconds(60), null, null, true);

        OcspAnswer answer = OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW);

        assertThat(answer.state).isEqualTo(Status.State.REVOKED);
        assertThat(answer.detail).isEqualTo("revoked at 2026-05-01T00:00:00Z, reason superseded");
        assertThat(answer.validUntil).isEqualTo(NOW.minusSeconds(60).plus(OcspResponses.DEFAULT_VALIDITY));
    }

    @Test
    void delegatedResponderWithOcspSigningCounts() throws Exception {
        TestCertificate signer = ca.issue("delegated").extendedKeyUsage(TestPki.OCSP_SIGNING).create();

        OcspAnswer answer = OcspResponses.read(response(signer, CertificateStatus.GOOD, NOW, null, null, true),
                server.certificate(), ca.certificate(), null, NOW);

        assertThat(answer.state).isEqualTo(Status.State.GOOD);
    }

    @Test
    void delegatedResponderWithoutOcspSigningIsRefused() throws Exception {
        TestCertificate signer = ca.issue("not a responder").serverAuth().create();
        byte[] der = response(signer, CertificateStatus.GOOD, NOW, null, null, true);

        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the responder certificate CN=not a responder lacks id-kp-OCSPSigning");
    }

    @Test
    void responderCertifiedByAnotherCaIsRefused() throws Exception {
        TestCertificate otherCa = TestPki.rootCa("ocsp responses CA").create();
        TestCertificate signer = otherCa.issue("rogue").extendedKeyUsage(TestPki.OCSP_SIGNING).create();
        byte[] der = response(signer, CertificateStatus.GOOD, NOW, null, null, true);

        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the response is not signed by the issuer or by a responder certificate it issued");
    }

    @Test
    void expiredDelegatedResponderIsRefused() throws Exception {
        TestCertificate signer = ca.issue("expired responder").extendedKeyUsage(TestPki.OCSP_SIGNING)
                .validity(NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1))).create();
        byte[] der = response(signer, CertificateStatus.GOOD, NOW, null, null, true);

        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the responder certificate CN=expired responder is not valid now");
    }

    @Test
    void echoedNonceMustBeTheRequests() throws Exception {
        byte[] ours = new DEROctetString(new byte[] {1, 2, 3, 4}).getEncoded();
        byte[] theirs = new DEROctetString(new byte[] {9, 9, 9, 9}).getEncoded();

        OcspAnswer matching = OcspResponses.read(response(ca, CertificateStatus.GOOD, NOW, null, ours, true),
                server.certificate(), ca.certificate(), ours, NOW);
        OcspAnswer noneEchoed = OcspResponses.read(response(ca, CertificateStatus.GOOD, NOW, null, null, true),
                server.certificate(), ca.certificate(), ours, NOW);
        byte[] replayed = response(ca, CertificateStatus.GOOD, NOW, null, theirs, true);

        assertThat(matching.state).isEqualTo(Status.State.GOOD);
        assertThat(noneEchoed.state).isEqualTo(Status.State.GOOD);
        assertThatThrownBy(() -> OcspResponses.read(replayed, server.certificate(), ca.certificate(), ours, NOW))
                .hasMessage("the response's nonce is not the request's (a replayed response?)");
    }

    @Test
    void responseFromTheFutureBeyondTheClockSkewIsRefused() throws Exception {
        Instant future = NOW.plus(OcspResponses.CLOCK_SKEW).plusSeconds(60);
        byte[] der = response(ca, CertificateStatus.GOOD, future, null, null, true);

        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the response's thisUpdate " + future + " is in the future");
    }

    @Test
    void responsePastItsNextUpdateIsStaleButWithinTheSkewIsNot() throws Exception {
        Instant nextUpdate = NOW.minusSeconds(60);
        byte[] der = response(ca, CertificateStatus.GOOD, NOW.minus(Duration.ofHours(1)), nextUpdate, null, true);

        assertThat(OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW).state)
                .isEqualTo(Status.State.GOOD);
        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null,
                NOW.plus(OcspResponses.CLOCK_SKEW))).hasMessage("the response is stale (nextUpdate " + nextUpdate + ")");
    }

    @Test
    void responseWithAlteredSignatureIsRefused() throws Exception {
        byte[] forged = response(ca, CertificateStatus.GOOD, NOW, null, null, false);
        // Signed by the CA with no certificates after it: the last byte is the signature's.
        forged[forged.length - 1] ^= 1;

        assertThatThrownBy(() -> OcspResponses.read(forged, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the response is not signed by the issuer or by a responder certificate it issued");
    }

    @Test
    void unsuccessfulResponseNamesItsStatus() throws Exception {
        byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();

        assertThatThrownBy(() -> OcspResponses.read(der, server.certificate(), ca.certificate(), null, NOW))
                .hasMessage("the responder answered tryLater");
    }

    @Test
    void answerIsRefreshedInTheLastQuarterOfItsValidity() {
        OcspAnswer answer = new OcspAnswer(Status.State.GOOD, "", NOW, NOW.plus(Duration.ofHours(4)));

        assertThat(answer.refreshDue(NOW.plus(Duration.ofHours(2)))).isFalse();
        assertThat(answer.refreshDue(NOW.plus(Duration.ofMinutes(181)))).isTrue();
    }

    private static byte[] response(TestCertificate signer, CertificateStatus status, Instant thisUpdate,
            Instant nextUpdate, byte[] nonce, boolean includeSigner) throws Exception {
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        CertificateID id = new CertificateID(digests.get(CertificateID.HASH_SHA1),
                new JcaX509CertificateHolder(ca.certificate()), server.certificate().getSerialNumber());
        BasicOCSPRespBuilder builder = new JcaBasicOCSPRespBuilder(signer.certificate().getPublicKey(),
                digests.get(CertificateID.HASH_SHA1));
        builder.addResponse(id, status, Date.from(thisUpdate), nextUpdate == null ? null : Date.from(nextUpdate));
        if (nonce != null) {
            builder.setResponseExtensions(new Extensions(
                    new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce)));
        }
        X509CertificateHolder[] chain = includeSigner && signer != ca
                ? new X509CertificateHolder[] {new JcaX509CertificateHolder(signer.certificate())}
                : null;
        BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.privateKey()),
                chain, Date.from(thisUpdate));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }
}
