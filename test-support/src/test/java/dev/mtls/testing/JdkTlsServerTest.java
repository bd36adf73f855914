package dev.mtls.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdkTlsServerTest {
    private static TestCertificate ca;
    private static TestCertificate server;
    private static TestCertificate client;

    @BeforeAll
    static void makePki() {
        ca = TestPki.rootCa("JdkTlsServerTest CA").create();
        server = ca.issueLocalhostServer();
        client = ca.issue("client").subject("CN=client,O=Acme").clientAuth().create();
    }

    @Test
    void reportsTheClientCertificateItReceivedOnItsPageAndPerPath() throws Exception {
        try (JdkTlsServer requiring = JdkTlsServer.requiringClientCertificate(server, ca)) {
            assertThat(requiring.get(clientContext(client), "localhost")).isEqualTo("CN=client,O=Acme");
            assertThat(requiring.seen("/")).isEqualTo(new ServerReport("CN=client,O=Acme", "TLSv1.3"));
            assertThat(requiring.subjectSeen("/elsewhere")).isNull();
        }
    }

    @Test
    void askingServerReportsAClientWithoutCertificateAsNone() throws Exception {
        try (JdkTlsServer asking = JdkTlsServer.asking(server, ca).protocols("TLSv1.2").start()) {
            assertThat(asking.get(clientContext(null), "127.0.0.1")).isEqualTo(ServerReport.NONE);
            assertThat(asking.seen("/")).isEqualTo(new ServerReport(ServerReport.NONE, "TLSv1.2"));
        }
    }

    @Test
    void requiringServerRefusesAClientWithoutCertificate() throws Exception {
        try (JdkTlsServer requiring = JdkTlsServer.requiringClientCertificate(server, ca)) {
            assertThatThrownBy(() -> requiring.get(clientContext(null), "localhost")).isInstanceOf(IOException.class);
            assertThat(requiring.subjectSeen("/")).isNull();
        }
    }

    @Test
    void subjectAndSerialPageTellsTwoCertificatesOfOneSubjectApart() throws Exception {
        TestCertificate renewed = ca.issue("client").subject("CN=client,O=Acme").clientAuth().create();
        try (JdkTlsServer echoing = JdkTlsServer.requiring(server, ca).answeringSubjectAndSerial()
                .closingEachConnection().start()) {
            HttpClient http = HttpClient.newBuilder().sslContext(clientContext(renewed))
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String body = http.send(HttpRequest.newBuilder(URI.create(echoing.url("localhost"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            assertThat(body).isEqualTo(JdkTlsServer.seen(renewed)).isNotEqualTo(JdkTlsServer.seen(client))
                    .startsWith("CN=client,O=Acme;");
        }
    }

    private static SSLContext clientContext(TestCertificate identity) throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        KeyStore store = identity == null ? null : identity.keyStore("PKCS12", "pw", "client");
        keys.init(store, "pw".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(TestPki.trustStore("PKCS12", ca.certificate()));
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(identity == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
