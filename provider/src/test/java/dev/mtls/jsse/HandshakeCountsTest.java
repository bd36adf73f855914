package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestTlsServer;
import org.junit.jupiter.api.Test;

/** The per-profile handshake count JMX shows: full handshakes that presented the profile's certificate. */
class HandshakeCountsTest {

    @Test
    void countsEachFullHandshakeThatPresentedTheProfilesCertificate() throws Exception {
        ProfileSource source = profile("counted-payments", "localhost").identity(PROFILE_EC).source();
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            for (int i = 0; i < 3; i++) {
                // A new context each time: nothing to resume, every handshake is a full one.
                exchange(wrapped(null, trusting(SERVER_CA.certificate()), source), "localhost", server.port(), "TLSv1.3");
                assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
            }
        }

        assertEquals(3, HandshakeCounts.of("counted-payments"));
    }

    @Test
    void aHandshakeToAHostTheProfileDoesNotMatchCountsNothing() throws Exception {
        ProfileSource source = profile("uncounted-payments", "localhost").identity(PROFILE_EC).source();
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            exchange(wrapped(null, trusting(SERVER_CA.certificate()), source), "127.0.0.1", server.port(), "TLSv1.3");
            assertEquals(TestTlsServer.NONE, server.nextClientSubject());
        }

        assertEquals(0, HandshakeCounts.of("uncounted-payments"));
    }
}
