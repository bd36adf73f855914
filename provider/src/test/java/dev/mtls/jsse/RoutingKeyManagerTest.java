package dev.mtls.jsse;

import static dev.mtls.jsse.Profiles.profile;
import static dev.mtls.jsse.TestCerts.APP_CLIENT;
import static dev.mtls.jsse.TestCerts.NEW_PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_RSA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.GlobalJsseState;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCertificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;

/** Alias choice against real SunJSSE engines and sockets, without a full handshake. */
class RoutingKeyManagerTest {
    private static final String[] SUNJSSE_TYPES = {"EC", "RSA", "RSASSA-PSS", "EdDSA"};

    private static SSLEngine engine(String host, int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
        context.init(null, null, null);
        return host == null ? context.createSSLEngine() : context.createSSLEngine(host, port);
    }

    private static X509ExtendedKeyManager ownKeys() throws Exception {
        return (X509ExtendedKeyManager) TestClients.ownKeys(APP_CLIENT)[0];
    }

    @Test
    void choosesProfileAliasForMatchingPeerAndAnswersItsChainAndKey() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(null,
                profile("payments", "api.example.com").identity(PROFILE_EC).source());
        String alias = keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("API.example.com", 443));
        assertEquals("mtls:1:payments", alias);
        assertArrayEquals(PROFILE_EC.chain().toArray(), keys.getCertificateChain(alias));
        assertEquals(PROFILE_EC.privateKey(), keys.getPrivateKey(alias));
    }

    @Test
    void delegatesUnchangedForPeerWithoutProfile() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(ownKeys(),
                profile("payments", "api.example.com").identity(PROFILE_EC).source());
        String alias = keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("other.example.com", 443));
        assertApplicationIdentity(keys, alias);
    }

    @Test
    void answersNoAliasWithoutDelegateForPeerWithoutProfile() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(null,
                profile("payments", "api.example.com").identity(PROFILE_EC).source());
        assertNull(keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("other.example.com", 443)));
        assertNull(keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine(null, -1)));
    }

    @Test
    void plainDelegateAnswersEngineCallsWithNullAsTheJdkAdapterDoes() throws Exception {
        X509KeyManager plain = new PlainKeyManager(ownKeys());
        RoutingKeyManager keys = new RoutingKeyManager(plain,
                profile("payments", "api.example.com").identity(PROFILE_EC).source());
        assertNull(keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("other.example.com", 443)));
        assertNull(keys.chooseEngineServerAlias("EC", null, engine("other.example.com", 443)));
    }

    @Test
    void matchesProfileHostWithPort() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(null,
                profile("payments", "api.example.com:8443").identity(PROFILE_EC).source());
        assertEquals("mtls:1:payments", keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 8443)));
        assertNull(keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443)));
    }

    @Test
    void returnsIdentityOnlyForKeyTypesItCanSignWith() throws Exception {
        RoutingKeyManager ec = keysFor(PROFILE_EC);
        RoutingKeyManager rsa = keysFor(PROFILE_RSA);
        SSLEngine engine = engine("api.example.com", 443);
        assertNotNull(ec.chooseEngineClientAlias(new String[] {"EC"}, null, engine));
        assertNull(ec.chooseEngineClientAlias(new String[] {"RSA", "RSASSA-PSS"}, null, engine));
        assertNotNull(rsa.chooseEngineClientAlias(new String[] {"RSA"}, null, engine));
        assertNull(rsa.chooseEngineClientAlias(new String[] {"EC", "EdDSA"}, null, engine));
        assertNull(rsa.chooseEngineClientAlias(null, null, engine));
    }

    @Test
    void normalisesBouncyCastleKeyTypesAndHonoursTheNamedCurve() throws Exception {
        RoutingKeyManager ec = keysFor(PROFILE_EC);
        SSLEngine engine = engine("api.example.com", 443);
        assertNotNull(ec.chooseEngineClientAlias(new String[] {"EC/secp256r1"}, null, engine));
        assertNull(ec.chooseEngineClientAlias(new String[] {"EC/secp384r1"}, null, engine));
        assertNull(ec.chooseEngineClientAlias(new String[] {"Ed25519"}, null, engine));
        TestCertificate ed25519 = TestCerts.CLIENT_CA.issue("ed").keyType(dev.mtls.testing.TestPki.KeyType.ED25519)
                .clientAuth().create();
        RoutingKeyManager ed = keysFor(ed25519);
        assertNotNull(ed.chooseEngineClientAlias(new String[] {"Ed25519"}, null, engine));
        assertNull(ed.chooseEngineClientAlias(new String[] {"Ed448"}, null, engine));
        assertNotNull(ed.chooseEngineClientAlias(new String[] {"EdDSA"}, null, engine));
    }

    @Test
    void answersNullForMatchedProfileWithoutUsableIdentityInEitherMode() throws Exception {
        SSLEngine engine = engine("api.example.com", 443);
        RoutingKeyManager mandatory = new RoutingKeyManager(ownKeys(),
                profile("payments", "api.example.com").brokenIdentity("bad key").source());
        RoutingKeyManager optional = new RoutingKeyManager(ownKeys(),
                profile("payments", "api.example.com").optional().brokenIdentity("bad key").source());
        assertNull(mandatory.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine));
        assertNull(optional.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine));
    }

    @Test
    void trustOnlyProfileLeavesAliasToApplication() throws Exception {
        SSLEngine engine = engine("api.example.com", 443);
        RoutingKeyManager keys = new RoutingKeyManager(ownKeys(),
                profile("payments", "api.example.com").trust(TestCerts.SERVER_CA.certificate()).source());
        assertApplicationIdentity(keys, keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine));
    }

    @Test
    void aliasKeepsAnsweringFromItsOwnSnapshotAfterSwap() throws Exception {
        GlobalJsseState state = new GlobalJsseState();
        try {
            ActiveProfiles.publish(Profiles.snapshot(1,
                    profile("payments", "api.example.com").identity(PROFILE_EC).build()));
            RoutingKeyManager keys = new RoutingKeyManager(null, ActiveProfiles.source());
            String oldAlias = keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443));

            ActiveProfiles.publish(Profiles.snapshot(2,
                    profile("payments", "api.example.com").identity(NEW_PROFILE_EC).build()));
            X509Certificate[] oldChain = keys.getCertificateChain(oldAlias);
            String newAlias = keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443));

            assertEquals("mtls:1:payments", oldAlias);
            assertEquals(PROFILE_EC.certificate(), oldChain[0]);
            assertEquals(PROFILE_EC.privateKey(), keys.getPrivateKey(oldAlias));
            assertEquals("mtls:2:payments", newAlias);
            assertEquals(NEW_PROFILE_EC.certificate(), keys.getCertificateChain(newAlias)[0]);
            assertEquals(NEW_PROFILE_EC.privateKey(), keys.getPrivateKey(newAlias));
        } finally {
            state.restore();
        }
    }

    @Test
    void aliasOfProfileRemovedByReloadStillCompletesItsHandshake() throws Exception {
        AtomicReference<ProfileSnapshot> current = new AtomicReference<>(Profiles.snapshot(1,
                profile("payments", "api.example.com").identity(PROFILE_EC).build()));
        RoutingKeyManager keys = new RoutingKeyManager(null, current::get);
        String alias = keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443));
        current.set(Profiles.snapshot(2));
        assertEquals(PROFILE_EC.certificate(), keys.getCertificateChain(alias)[0]);
        assertNull(keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443)));
    }

    @Test
    void unknownGenerationAliasIsNotAnsweredFromAnotherSnapshot() throws Exception {
        RoutingKeyManager keys = keysFor(PROFILE_EC);
        assertNull(keys.getCertificateChain("mtls:7:payments"));
        assertNull(keys.getPrivateKey("mtls:7:payments"));
        assertNull(keys.getCertificateChain("mtls:x:payments"));
    }

    @Test
    void neverThrowsWhenProfilesCannotBeRead() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(ownKeys(), () -> {
            throw new IllegalStateException("broken source");
        });
        assertApplicationIdentity(keys, keys.chooseEngineClientAlias(SUNJSSE_TYPES, null, engine("api.example.com", 443)));
    }

    @Test
    void serverSideMethodsDelegateUnchanged() throws Exception {
        RoutingKeyManager keys = new RoutingKeyManager(ownKeys(),
                profile("everything", "*").identity(PROFILE_EC).source());
        SSLEngine engine = engine("api.example.com", 443);
        // NewSunX509 numbers each alias it hands out, so compare what the aliases name.
        assertApplicationIdentity(keys, keys.chooseEngineServerAlias("EC", null, engine));
        assertApplicationIdentity(keys, keys.chooseServerAlias("EC", null, null));
        assertApplicationIdentity(keys, keys.getServerAliases("EC", null)[0]);
        assertApplicationIdentity(keys, keys.getClientAliases("EC", null)[0]);
        RoutingKeyManager none = new RoutingKeyManager(null, profile("everything", "*").identity(PROFILE_EC).source());
        assertNull(none.chooseEngineServerAlias("EC", null, engine));
        assertNull(none.getServerAliases("EC", null));
    }

    private static void assertApplicationIdentity(X509KeyManager keys, String alias) {
        assertNotNull(alias);
        assertEquals(APP_CLIENT.certificate(), keys.getCertificateChain(alias)[0]);
        assertEquals(APP_CLIENT.privateKey(), keys.getPrivateKey(alias));
    }

    private static RoutingKeyManager keysFor(TestCertificate identity) {
        return new RoutingKeyManager(null, profile("payments", "api.example.com").identity(identity).source());
    }
}
