package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.CA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.material.TrustAnchors;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileUsability;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A profile's {@code trust.revocation.crl} files: loaded with its trust, replaced on reload, and what a bad one does. */
class CrlReloadTest extends WatchedFolderTest {
    static final TestCertificate SERVER = CA.issue("backend.internal").serverAuth().create();
    static final String PROFILE = "  - name: backend\n    hosts: [backend.internal]\n"
            + "    trust:\n      certificates: ca.pem\n      revocation: {crl: ca.crl}\n";

    Path crl;

    @BeforeEach
    void caAndCrl() {
        TestPki.writePem(dir.resolve("ca.pem"), CA.certificate());
        crl = dir.resolve("ca.crl");
    }

    @Test
    void replacedCrlIsPublishedAsAChangeOfTheProfile() {
        TestCrl.by(CA).writePem(crl);
        files.write(PROFILE);
        watcher.reloadNow();
        assertFalse(trust().revocationLists().get(0).crl().isRevoked(SERVER.certificate()));

        TestCrl.by(CA).revoke(SERVER.certificate(), CRLReason.KEY_COMPROMISE).writeDer(crl);
        ReloadOutcome revoked = watcher.reloadNow();
        assertEquals(List.of("backend"), revoked.changed(), revoked.summary());
        assertTrue(trust().revocationLists().get(0).crl().isRevoked(SERVER.certificate()));

        TestCrl.by(CA).writePem(crl);
        ReloadOutcome unrevoked = watcher.reloadNow();
        assertEquals(List.of("backend"), unrevoked.changed(), unrevoked.summary());
        assertFalse(trust().revocationLists().get(0).crl().isRevoked(SERVER.certificate()));
    }

    @Test
    void brokenCrlOnReloadKeepsTheLastGoodVersion() throws Exception {
        TestCrl.by(CA).revoke(SERVER.certificate(), null).writePem(crl);
        files.write(PROFILE);
        watcher.reloadNow();

        Files.writeString(crl, "-----BEGIN X509 CRL-----\ntruncated");
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.UNCHANGED, outcome.kind(), outcome.summary());
        assertTrue(trust().revocationLists().get(0).crl().isRevoked(SERVER.certificate()));
        assertEquals(1, log.count("profile 'backend': keeping its previous version until the error is fixed"),
                log.toString());
        assertEquals(1, log.count(crl + ": not a CRL (expected PEM -----BEGIN X509 CRL----- or DER)"),
                log.toString());
    }

    @Test
    void missingCrlAtStartFailsTheProfileClosed() {
        files.write(PROFILE);
        watcher.reloadNow();

        LoadedProfile profile = target.current().profile("backend").orElseThrow();
        assertTrue(profile.trust().isEmpty());
        assertEquals("mtls-agent: profile 'backend' cannot check its servers as configured: " + crl + ": missing file",
                ProfileUsability.handshakeFailure(profile, Instant.now()));
        assertEquals(1, log.count("profile 'backend'"), log.toString());
    }

    @Test
    void crlPastItsNextUpdateIsLoadedWithAWarning() {
        TestCrl.by(CA).stale().writePem(crl);
        files.write(PROFILE);
        watcher.reloadNow();

        assertEquals(1, trust().revocationLists().size());
        assertEquals(1, log.lines().stream().filter(line -> line.startsWith("WARNING " + files.profiles
                + ":3: profile 'backend': CRL " + crl + " (issuer CN=Reload Test CA) is past its nextUpdate "))
                .count(), log.toString());
    }

    @Test
    void trustWithoutCertificatesKeepsTheApplicationsTrustAndLoadsTheCrls() {
        TestCrl.by(CA).revoke(SERVER.certificate(), CRLReason.KEY_COMPROMISE).writePem(crl);
        files.write("  - name: backend\n    hosts: [backend.internal]\n"
                + "    trust:\n      revocation: {crl: ca.crl}\n");
        watcher.reloadNow();

        assertTrue(trust().isApplicationTrust());
        assertTrue(trust().revocationLists().get(0).crl().isRevoked(SERVER.certificate()));
    }

    private TrustAnchors trust() {
        return target.current().profile("backend").orElseThrow().trust().orElseThrow();
    }
}
