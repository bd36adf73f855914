package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.CLIENT_CA;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.GlobalJsseState;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestTlsServer;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.ServiceLoader;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MtlsProviderTest {
    private final GlobalJsseState state = new GlobalJsseState();

    @AfterEach
    void restoreProvidersAndProfiles() {
        state.restore();
    }

    @Test
    void registersFactoriesUnderTheJdkNamesAndWrapsWhatTheyReturn() throws Exception {
        Provider provider = new MtlsProvider();
        for (String algorithm : List.of("SunX509", "NewSunX509", "PKIX")) {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(algorithm, provider);
            factory.init(APP_CLIENT.keyStore("PKCS12", "changeit", "own"), "changeit".toCharArray());
            RoutingKeyManager keys = (RoutingKeyManager) factory.getKeyManagers()[0];
            assertEquals(APP_CLIENT.certificate(), keys.getCertificateChain(keys.getClientAliases("EC", null)[0])[0]);
        }
        for (String algorithm : List.of("PKIX", "SunPKIX", "X509", "X.509", "SunX509")) {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(algorithm, provider);
            factory.init(TestPki.trustStore("PKCS12", SERVER_CA.certificate()));
            RoutingTrustManager trust = (RoutingTrustManager) factory.getTrustManagers()[0];
            assertEquals(List.of(SERVER_CA.certificate()), List.of(trust.getAcceptedIssuers()));
        }
    }

    @Test
    void uninitialisedFactoryFailsAsSunJsseDoes() throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", new MtlsProvider());
        assertThrows(IllegalStateException.class, factory::getKeyManagers);
    }

    @Test
    void installsJustBeforeSunJsseOnceKeepingAProviderTheApplicationPutFirst() {
        Provider first = new Provider("AppFirst", "1.0", "stands in for BCJSSE or Conscrypt") {
            private static final long serialVersionUID = 1L;
        };
        Security.insertProviderAt(first, 1);
        Provider installed = MtlsProvider.install();
        assertSame(installed, MtlsProvider.install());

        List<String> names = GlobalJsseState.names();
        assertEquals("AppFirst", names.get(0));
        assertEquals(names.indexOf("SunJSSE") - 1, names.indexOf(MtlsProvider.NAME));
        assertEquals(1, names.stream().filter(MtlsProvider.NAME::equals).count());
    }

    @Test
    void defaultAlgorithmsFindUsAndSunJsseByNameStillWorks() throws Exception {
        Provider installed = MtlsProvider.install();
        assertSame(installed, KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm()).getProvider());
        assertSame(installed, TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm()).getProvider());
        assertEquals("SunJSSE",
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm(), "SunJSSE").getProvider().getName());
        assertEquals("SunJSSE", TrustManagerFactory.getInstance("PKIX", "SunJSSE").getProvider().getName());
    }

    @Test
    void contextsFromDefaultFactoriesPresentTheProfileCertificate() throws Exception {
        MtlsProvider.install();
        ActiveProfiles.publish(Profiles.snapshot(10, profile("payments", "localhost").identity(PROFILE_EC).build()));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestPki.trustStore("PKCS12", SERVER_CA.certificate()));
        SSLContext client = TestClients.plain(keys.getKeyManagers(), trust.getTrustManagers());
        try (TestTlsServer server = TestTlsServer.needClientAuth(SERVER, CLIENT_CA)) {
            TestClients.exchange(client, "localhost", server.port(), "TLSv1.3");
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    @Test
    void contextBuildingItsOwnDefaultTrustIsRoutedThroughUs() throws Exception {
        MtlsProvider.install();
        ActiveProfiles.publish(Profiles.snapshot(10, profile("payments", "localhost").brokenIdentity("no key").build()));
        // init(null, null, null): SunJSSE builds its trust from TrustManagerFactory.getDefaultAlgorithm().
        SSLContext client = TestClients.plain(null, null);
        try (TestTlsServer server = TestTlsServer.wantClientAuth(SERVER, CLIENT_CA)) {
            SSLHandshakeException failure = assertThrows(SSLHandshakeException.class,
                    () -> TestClients.exchange(client, "localhost", server.port(), "TLSv1.3"));
            assertTrue(failure.getMessage().contains("profile 'payments'"), failure.getMessage());
        }
    }

    @Test
    void serverBuiltFromOurFactoriesServesItsOwnCertificateAndChecksClientsAsBefore() throws Exception {
        MtlsProvider.install();
        ActiveProfiles.publish(Profiles.snapshot(10, profile("everything", "*").identity(PROFILE_EC).build()));
        KeyManagerFactory keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(SERVER.keyStore("PKCS12", "changeit", "server"), "changeit".toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TestPki.trustStore("PKCS12", CLIENT_CA.certificate()));
        assertInstanceOf(RoutingKeyManager.class, keys.getKeyManagers()[0]);
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), trust.getTrustManagers(), null);

        SSLContext client = TestClients.plain(TestClients.ownKeys(APP_CLIENT),
                TestClients.trusting(SERVER_CA.certificate()));
        try (JdkTlsServer server = JdkTlsServer.requiring(serverContext).start()) {
            assertEquals(APP_CLIENT.subject(), server.get(client, "localhost"));
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("localhost", server.port())) {
                socket.startHandshake();
                assertEquals(SERVER.certificate(), (X509Certificate) socket.getSession().getPeerCertificates()[0]);
            }
        }
    }

    @Test
    void configureTakesTheProfileFilePath() {
        MtlsProvider configured = (MtlsProvider) new MtlsProvider().configure(" /etc/mtls/profiles.yaml ");
        assertEquals(java.nio.file.Path.of("/etc/mtls/profiles.yaml"), configured.profiles());
        assertEquals(MtlsProvider.NAME, configured.getName());
        assertThrows(java.security.InvalidParameterException.class, () -> new MtlsProvider().configure(" "));
    }

    @Test
    void noArgumentConstructorReadsProfilesProperty() {
        String before = System.getProperty(MtlsProvider.PROFILES_PROPERTY);
        try {
            System.setProperty(MtlsProvider.PROFILES_PROPERTY, "/etc/mtls/profiles.yaml");
            assertEquals(java.nio.file.Path.of("/etc/mtls/profiles.yaml"), new MtlsProvider().profiles());
            System.clearProperty(MtlsProvider.PROFILES_PROPERTY);
            assertEquals(null, new MtlsProvider().profiles());
        } finally {
            if (before != null) {
                System.setProperty(MtlsProvider.PROFILES_PROPERTY, before);
            }
        }
    }

    @Test
    void serviceLoaderFindsTheProvider() {
        assertTrue(ServiceLoader.load(Provider.class).stream()
                .anyMatch(p -> p.type() == MtlsProvider.class && p.get().getName().equals(MtlsProvider.NAME)));
    }

    @Test
    void keyStoreNullInitStillGivesARoutingKeyManager() throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509", new MtlsProvider());
        factory.init((KeyStore) null, null);
        assertInstanceOf(RoutingKeyManager.class, factory.getKeyManagers()[0]);
    }
}
