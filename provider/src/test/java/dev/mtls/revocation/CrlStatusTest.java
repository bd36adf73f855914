package dev.mtls.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.material.RevocationList;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestPki;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CrlStatusTest {
    private static final Path FILE = Path.of("/etc/backend/ca.crl");

    private static TestCertificate ca;
    private static TestCertificate otherCa;
    private static TestCertificate revoked;
    private static TestCertificate good;

    @BeforeAll
    static void createPki() {
        ca = TestPki.rootCa("Backend CA").ca().create();
        otherCa = TestPki.rootCa("Other CA").ca().create();
        revoked = ca.issue("revoked.internal").serverAuth().create();
        good = ca.issue("good.internal").serverAuth().create();
    }

    @Test
    void revokedWithDateAndReason() {
        Status status = status(revoked, TestCrl.by(ca).revoke(revoked.certificate(), CRLReason.KEY_COMPROMISE));
        assertEquals(Status.State.REVOKED, status.state());
        assertEquals("CRL " + FILE, status.source());
        assertTrue(status.detail().matches("revoked on \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z, reason keyCompromise"),
                status.detail());
    }

    @Test
    void revokedWithoutReasonSaysNoReason() {
        Status status = status(revoked, TestCrl.by(ca).revoke(revoked.certificate(), null));
        assertEquals(Status.State.REVOKED, status.state());
        assertTrue(status.detail().startsWith("revoked on ") && !status.detail().contains("reason"), status.detail());
    }

    @Test
    void goodWhenCurrentCrlOfItsIssuerDoesNotListIt() {
        Status status = status(good, TestCrl.by(ca).revoke(revoked.certificate(), CRLReason.SUPERSEDED));
        assertEquals(Status.State.GOOD, status.state());
        assertEquals("CRL " + FILE, status.source());
    }

    @Test
    void unknownWhenNoCrlIsFromItsIssuer() {
        Status status = status(good, TestCrl.by(otherCa));
        assertEquals(Status.State.UNKNOWN, status.state());
        assertEquals("no CRL covers it (none from its issuer CN=Backend CA)", status.detail());
    }

    @Test
    void unknownWithTheDateWhenCrlIsPastItsNextUpdate() {
        X509CRL crl = TestCrl.by(ca).stale().create();
        Status status = CrlStatus.of(good.certificate(), ca.certificate(), List.of(new RevocationList(FILE, crl)),
                Instant.now());
        assertEquals(Status.State.UNKNOWN, status.state());
        assertEquals("the CRL is past its nextUpdate " + crl.getNextUpdate().toInstant(), status.detail());
    }

    @Test
    void revokedStaysRevokedInStaleCrl() {
        Status status = status(revoked, TestCrl.by(ca).stale().revoke(revoked.certificate(), null));
        assertEquals(Status.State.REVOKED, status.state());
    }

    @Test
    void crlNotSignedByTheIssuerDoesNotCount() {
        // Under the CA's name, signed with another key: a forged or mixed-up CRL must not decide.
        Status status = status(revoked, TestCrl.by(ca).signedBy(otherCa).revoke(revoked.certificate(), null));
        assertEquals(Status.State.UNKNOWN, status.state());
        assertEquals("the CRL's signature does not verify with the key of its issuer CN=Backend CA",
                status.detail());
    }

    @Test
    void currentCrlDecidesBesideStaleOne() {
        List<RevocationList> lists = List.of(new RevocationList(Path.of("/old.crl"), TestCrl.by(ca).stale().create()),
                new RevocationList(FILE, TestCrl.by(ca).create()));
        Status status = CrlStatus.of(good.certificate(), ca.certificate(), lists, Instant.now());
        assertEquals(Status.State.GOOD, status.state());
        assertEquals("CRL " + FILE, status.source());
    }

    @Test
    void reasonNamesAsRfc5280SpellsThem() {
        assertEquals("keyCompromise", CrlStatus.reasonName(CRLReason.KEY_COMPROMISE));
        assertEquals("cACompromise", CrlStatus.reasonName(CRLReason.CA_COMPROMISE));
        assertEquals("cessationOfOperation", CrlStatus.reasonName(CRLReason.CESSATION_OF_OPERATION));
        assertEquals("certificateHold", CrlStatus.reasonName(CRLReason.CERTIFICATE_HOLD));
    }

    @Test
    void checkRefusesRevokedCertificateNamingProfileFileAndReason() {
        RevocationSpec spec = new RevocationSpec(List.of(FILE), false, null, RevocationSpec.OnUnknown.FAIL,
                RevocationSpec.Scope.LEAF);
        List<RevocationList> lists = List.of(new RevocationList(FILE,
                TestCrl.by(ca).revoke(revoked.certificate(), CRLReason.KEY_COMPROMISE).create()));
        RevocationRefusal e = assertThrows(RevocationRefusal.class, () -> RevocationCheck.check("profile 'backend'",
                spec, lists, new X509Certificate[] {revoked.certificate()}, List.of(ca.certificate()), List.of(),
                Instant.now()));
        assertTrue(e.isRevoked());
        assertTrue(e.getMessage().matches("mtls-agent: profile 'backend': revocation check: the certificate"
                + " CN=revoked\\.internal is revoked \\(CRL /etc/backend/ca\\.crl, revoked on [^,]+, reason"
                + " keyCompromise\\)"), e.getMessage());
    }

    @Test
    void checkRefusesUncoveredCertificateUnderFailAndLetsItThroughUnderAllow() throws CertificateException {
        List<RevocationList> lists = List.of(new RevocationList(FILE, TestCrl.by(otherCa).create()));
        X509Certificate[] chain = {good.certificate()};
        RevocationRefusal e = assertThrows(RevocationRefusal.class, () -> RevocationCheck.check("listener 'api'",
                spec(RevocationSpec.OnUnknown.FAIL), lists, chain, List.of(ca.certificate()), List.of(),
                Instant.now()));
        assertEquals(false, e.isRevoked());
        assertEquals("mtls-agent: listener 'api': revocation check: revocation status of CN=good.internal is unknown"
                + " (CRL: no CRL covers it (none from its issuer CN=Backend CA)); refused (onUnknown: fail)",
                e.getMessage());
        List<Status> statuses = RevocationCheck.check("listener 'api'", spec(RevocationSpec.OnUnknown.ALLOW), lists,
                chain, List.of(ca.certificate()), List.of(), Instant.now());
        assertEquals(Status.State.UNKNOWN, statuses.get(0).state());
    }

    @Test
    void chainScopeChecksTheIntermediateAgainstItsIssuersCrl() throws CertificateException {
        TestCertificate intermediate = ca.issue("Issuing CA").ca().create();
        TestCertificate leaf = intermediate.issue("leaf.internal").serverAuth().create();
        List<RevocationList> lists = List.of(new RevocationList(FILE, TestCrl.by(intermediate).create()),
                new RevocationList(Path.of("/etc/backend/root.crl"),
                        TestCrl.by(ca).revoke(intermediate.certificate(), CRLReason.CA_COMPROMISE).create()));
        X509Certificate[] chain = {leaf.certificate(), intermediate.certificate()};

        List<Status> leafOnly = RevocationCheck.check("profile 'backend'", new RevocationSpec(List.of(FILE), false,
                null, RevocationSpec.OnUnknown.FAIL, RevocationSpec.Scope.LEAF), lists, chain,
                List.of(ca.certificate()), List.of(), Instant.now());
        assertEquals(1, leafOnly.size());
        assertEquals(Status.State.GOOD, leafOnly.get(0).state());
        RevocationRefusal e = assertThrows(RevocationRefusal.class, () -> RevocationCheck.check("profile 'backend'",
                new RevocationSpec(List.of(FILE), false, null, RevocationSpec.OnUnknown.FAIL,
                        RevocationSpec.Scope.CHAIN), lists, chain, List.of(ca.certificate()), List.of(), Instant.now()));
        assertTrue(e.getMessage().contains("the certificate CN=Issuing CA is revoked (CRL /etc/backend/root.crl,"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("reason cACompromise)"), e.getMessage());
    }

    private static RevocationSpec spec(RevocationSpec.OnUnknown onUnknown) {
        return new RevocationSpec(List.of(FILE), false, null, onUnknown, RevocationSpec.Scope.LEAF);
    }

    private static Status status(TestCertificate certificate, TestCrl crl) {
        return CrlStatus.of(certificate.certificate(), ca.certificate(),
                List.of(new RevocationList(FILE, crl.create())), Instant.now());
    }
}
