package dev.mtls.jsse;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class ServerNameCheckTest {

    @Test
    void wildcardMatchesExactlyOneLeftMostLabel() {
        assertTrue(ServerNameCheck.dnsMatches("a.example.com", "*.example.com"));
        assertTrue(ServerNameCheck.dnsMatches("a.example.com", "*.EXAMPLE.com."));
        assertFalse(ServerNameCheck.dnsMatches("a.b.example.com", "*.example.com"));
        assertFalse(ServerNameCheck.dnsMatches("example.com", "*.example.com"));
        assertFalse(ServerNameCheck.dnsMatches("badexample.com", "*.example.com"));
    }

    @Test
    void refusesWildcardsRfc6125Forbids() {
        assertFalse(ServerNameCheck.dnsMatches("example.com", "*.com"));
        assertFalse(ServerNameCheck.dnsMatches("foo.example.com", "f*.example.com"));
        assertFalse(ServerNameCheck.dnsMatches("a.b.example.com", "a.*.example.com"));
        assertFalse(ServerNameCheck.dnsMatches("anything", "*"));
    }

    @Test
    void matchesNamesCaseInsensitivelyIgnoringTrailingDot() throws Exception {
        TestCertificate server = TestCerts.SERVER_CA.issue("api").dns("API.Example.com").create();
        ServerNameCheck.verify(server.certificate(), "api.example.com.", "p");
        ServerNameCheck.verify(server.certificate(), "api.EXAMPLE.com", "p");
    }

    @Test
    void matchesAddressesOnlyAgainstIpAddressEntries() throws Exception {
        TestCertificate server = TestCerts.SERVER_CA.issue("api").dns("10.0.0.1").ip("::1", "127.0.0.1").create();
        ServerNameCheck.verify(server.certificate(), "127.0.0.1", "p");
        ServerNameCheck.verify(server.certificate(), "[::1]", "p");
        ServerNameCheck.verify(server.certificate(), "0:0:0:0:0:0:0:1", "p");
        assertThrows(CertificateException.class, () -> ServerNameCheck.verify(server.certificate(), "10.0.0.1", "p"));
    }

    @Test
    void treatsOutOfRangeAddressAsNoMatchWithoutLookingItUp() throws Exception {
        TestCertificate server = TestCerts.SERVER_CA.issue("api").ip("127.0.0.1").create();
        assertFalse(ServerNameCheck.matches(server.certificate(), "999.0.0.1", new ArrayList<>()));
    }

    @Test
    void neverFallsBackToTheCommonName() throws Exception {
        TestCertificate cnOnly = TestCerts.SERVER_CA.issue("localhost").create();
        assertFalse(ServerNameCheck.matches(cnOnly.certificate(), "localhost", new ArrayList<>()));
        CertificateException failure = assertThrows(CertificateException.class,
                () -> ServerNameCheck.verify(cnOnly.certificate(), "localhost", "payments"));
        assertTrue(failure.getMessage().contains("profile 'payments'"));
    }
}
