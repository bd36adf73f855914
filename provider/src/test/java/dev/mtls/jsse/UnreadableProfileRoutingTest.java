package dev.mtls.jsse;

import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestTlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile whose text does not read, loaded from a real file, against a server that accepts
 * clients without a certificate: had the profile been dropped, every handshake here would
 * succeed with the application's certificate.
 */
class UnreadableProfileRoutingTest {
    private static TestTlsServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @Test
    void mandatoryProfileWithAnUnknownFieldFailsTheHandshakeWithItsReason() throws Exception {
        SSLContext client = clientWith("  - name: typo\n    hosts: [localhost]\n    colour: blue\n"
                + "    identity: {certificate: c.pem, key: k.pem}\n");

        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.3"));

        assertTrue(failure.getMessage().contains("mtls-agent: profile 'typo' has no usable client certificate: "),
                failure.getMessage());
        assertTrue(failure.getMessage().contains(":5: unknown field 'colour'"), failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @Test
    void profileWhoseModeDoesNotReadFailsClosedAsMandatory() throws Exception {
        SSLContext client = clientWith("  - name: unsure\n    hosts: [localhost]\n    mode: sometimes\n"
                + "    identity: {certificate: c.pem, key: k.pem}\n");

        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.2"));

        assertTrue(failure.getMessage().contains("profile 'unsure'"), failure.getMessage());
        assertTrue(failure.getMessage().contains("mode must be mandatory or optional"), failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    @Test
    void optionalProfileThatDoesNotReadConnectsWithoutAnyCertificate() throws Exception {
        SSLContext client = clientWith("  - name: relaxed\n    hosts: [localhost]\n    mode: optional\n"
                + "    identity: {certificate: \"\", key: k.pem}\n");

        exchange(client, "localhost", server.port(), "TLSv1.3");

        // Neither the profile's certificate nor the application's: the profile still owns the host.
        assertEquals(TestTlsServer.NONE, server.nextClientSubject());
    }

    @Test
    void optionalProfileWithATrustSectionThatDoesNotReadFailsClosed() throws Exception {
        SSLContext client = clientWith("  - name: pinned\n    hosts: [localhost]\n    mode: optional\n"
                + "    trust: {certificates: ca.pem, colour: blue}\n");

        SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                () -> exchange(client, "localhost", server.port(), "TLSv1.3"));

        assertTrue(failure.getMessage().contains("profile 'pinned' cannot check its servers as configured"), failure.getMessage());
        assertEquals(TestTlsServer.FAILED, server.nextClientSubject());
    }

    /** The application has a certificate of its own and trusts the server. */
    private SSLContext clientWith(String profiles) throws Exception {
        Path file = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n" + profiles);
        ProfileSnapshot snapshot = ProfileLoader.system().load(file, null, 1).snapshot();
        return wrapped(TestClients.ownKeys(APP_CLIENT), trusting(SERVER_CA.certificate()), () -> snapshot);
    }
}
