package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlLoaderTest {
    private static TestCertificate ca;
    private static TestCertificate server;

    @TempDir
    Path dir;

    @BeforeAll
    static void createPki() {
        ca = TestPki.rootCa("CRL Loader CA").ca().create();
        server = ca.issue("server.internal").serverAuth().create();
    }

    @Test
    void readsPemAndDerFilesInTheOrderWritten() throws Exception {
        Path pem = TestCrl.by(ca).revoke(server.certificate(), CRLReason.KEY_COMPROMISE).writePem(dir.resolve("a.crl"));
        Path der = TestCrl.by(ca).writeDer(dir.resolve("b.crl"));
        List<RevocationList> lists = CrlLoader.load(List.of(pem, der));
        assertEquals(2, lists.size());
        assertEquals(pem, lists.get(0).file());
        assertEquals(der, lists.get(1).file());
        assertTrue(lists.get(0).crl().isRevoked(server.certificate()));
    }

    @Test
    void refusesMissingFileNamingIt() {
        Path missing = dir.resolve("gone.crl");
        MaterialException e = assertThrows(MaterialException.class, () -> CrlLoader.load(List.of(missing)));
        assertEquals(missing + ": missing file", e.getMessage());
    }

    @Test
    void refusesEmptyFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.crl"), "\n");
        MaterialException e = assertThrows(MaterialException.class, () -> CrlLoader.load(List.of(empty)));
        assertEquals(empty + ": empty file (expected a CRL, PEM or DER)", e.getMessage());
    }

    @Test
    void refusesCertificateGivenAsCrl() throws Exception {
        Path certificate = server.writeCertificate(dir.resolve("server.pem"));
        MaterialException e = assertThrows(MaterialException.class, () -> CrlLoader.load(List.of(certificate)));
        assertEquals(certificate + ": not a CRL (expected PEM -----BEGIN X509 CRL----- or DER)", e.getMessage());
    }

    @Test
    void refusesGarbage() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.crl"), "this is not a CRL\n");
        MaterialException e = assertThrows(MaterialException.class, () -> CrlLoader.load(List.of(garbage)));
        assertTrue(e.getMessage().startsWith(garbage + ": not a CRL"), e.getMessage());
    }

    @Test
    void warnsOfCrlPastItsNextUpdate() throws Exception {
        Path stale = TestCrl.by(ca).stale().writePem(dir.resolve("stale.crl"));
        RevocationList list = CrlLoader.load(List.of(stale)).get(0);
        String warning = CrlLoader.staleWarning(list, Instant.now());
        assertTrue(warning.startsWith("CRL " + stale + " (issuer CN=CRL Loader CA) is past its nextUpdate "), warning);
        assertTrue(warning.endsWith(": certificates it covers have an unknown revocation status until it is"
                + " replaced"), warning);
        assertNull(CrlLoader.staleWarning(CrlLoader.load(List.of(TestCrl.by(ca).writePem(dir.resolve("ok.crl"))))
                .get(0), Instant.now()));
    }

    @Test
    void remembersWhetherSignatureVerifiesPerIssuer() throws Exception {
        TestCertificate other = TestPki.rootCa("Other CA").ca().create();
        RevocationList list = CrlLoader.load(List.of(TestCrl.by(ca).writePem(dir.resolve("ca.crl")))).get(0);
        assertTrue(list.isSignedBy(ca.certificate()));
        assertTrue(list.isSignedBy(ca.certificate()));
        assertEquals(false, list.isSignedBy(other.certificate()));
    }
}
