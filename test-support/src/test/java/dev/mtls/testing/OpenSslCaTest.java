package dev.mtls.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenSslCaTest {
    @TempDir
    Path dir;

    @Test
    void issuesRevokesAndUnrevokesThroughTheIndex() throws Exception {
        OpenSslCa ca = OpenSslCa.create(dir.resolve("ca"), "OpenSSL Test CA");
        TestCertificate server = ca.issueServer("server", "localhost", "127.0.0.1");
        TestCertificate client = ca.issueClient("client");
        server.certificate().verify(ca.certificate().certificate().getPublicKey());
        assertEquals("CN=server", server.subject());
        assertEquals(List.of(ca.certificate().certificate()), List.of(server.root()));

        ca.revoke(server, "keyCompromise");
        X509CRL revoked = crl(ca.writeCrl(dir.resolve("pem.crl")));
        assertTrue(revoked.isRevoked(server.certificate()));
        assertFalse(revoked.isRevoked(client.certificate()));
        assertEquals(CRLReason.KEY_COMPROMISE,
                revoked.getRevokedCertificate(server.certificate()).getRevocationReason());
        revoked.verify(ca.certificate().certificate().getPublicKey());

        ca.unrevoke(server);
        X509CRL again = crl(ca.writeCrlDer(dir.resolve("der.crl")));
        assertFalse(again.isRevoked(server.certificate()));
    }

    private static X509CRL crl(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        }
    }
}
