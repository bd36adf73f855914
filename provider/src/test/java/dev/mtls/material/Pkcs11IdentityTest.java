package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.jsse.MtlsProvider;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Pkcs11Key;
import dev.mtls.profile.Secret;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Identities whose key stays in a SoftHSM2 token: loading by token label and by slot, the
 * handshake signing on the token (RSA and EC, TLS 1.2 and 1.3), each bad-input message, and a
 * new certificate under the label seen by the reload's token state. Skipped where SoftHSM2 and
 * OpenSC are not installed.
 */
class Pkcs11IdentityTest {
    private static final String PIN = SoftHsmFixture.PIN;
    private static final List<String> MESSAGES = new ArrayList<>();

    @TempDir
    static Path dir;

    private static TestCertificate ca;
    private static TestCertificate rsa;
    private static TestCertificate ec;
    private static SoftHsmToken token;
    private static SoftHsmToken neverLoggedIn;
    private static SoftHsmToken renewing;
    private static JdkTlsServer server;
    private static boolean providerAdded;

    @BeforeAll
    static void token() {
        assumeTrue(SoftHsmToken.available(), "SoftHSM2 and OpenSC (pkcs11-tool) are not installed");
        SoftHsmFixture tokens = SoftHsmFixture.get();
        ca = SoftHsmFixture.CA;
        rsa = SoftHsmFixture.RSA;
        ec = SoftHsmFixture.EC;
        token = tokens.token;
        neverLoggedIn = tokens.neverLoggedIn;
        renewing = tokens.renewing;
        // The agent puts its provider in the list; it is what routes SunJSSE's signatures to the token.
        if (Security.getProvider(MtlsProvider.NAME) == null) {
            providerAdded = MtlsProvider.install() != null;
        }
        server = JdkTlsServer.requiring(ca.issueLocalhostServer(), ca).start();
    }

    @AfterAll
    static void noMessageShowsThePin() {
        if (server != null) {
            server.close();
        }
        if (providerAdded) {
            Security.removeProvider(MtlsProvider.NAME);
        }
        for (String message : MESSAGES) {
            assertFalse(message.contains(PIN), message);
        }
    }

    private static IdentitySpec byLabel(String key) {
        return IdentitySpec.pkcs11(Pkcs11Key.inToken(SoftHsmToken.library(), token.label(), Secret.of(PIN), key), null);
    }

    @Test
    void loadsTheKeyByTokenLabelAndKeepsItInTheToken() throws Exception {
        Identity identity = new IdentityLoader().load(byLabel("bot-ec"));
        assertEquals(ec.certificate(), identity.leaf());
        assertEquals(List.of(ec.certificate()), identity.chain(), "issued by the root: the chain is the leaf alone");
        assertEquals("EC", identity.keyType());
        assertNull(identity.privateKey().getEncoded(), "a sensitive token key has no encoding");
        assertTrue(identity.privateKey().getClass().getName().startsWith("sun.security.pkcs11."));
        int before = Security.getProviders().length;
        new IdentityLoader().load(byLabel("bot-rsa"));
        assertEquals(before, Security.getProviders().length, "the token's provider is not added to the list");
    }

    @Test
    void loadsTheKeyBySlotIdWithTheChainFromAFile() throws Exception {
        Path chain = TestPki.writePem(dir.resolve("rsa-chain.pem"), rsa.chain());
        Identity identity = new IdentityLoader().load(IdentitySpec.pkcs11(
                Pkcs11Key.inSlot(SoftHsmToken.library(), token.slot(), Secret.of(PIN), "bot-rsa"), chain));
        assertEquals(rsa.certificate(), identity.leaf());
        assertEquals("RSA", identity.keyType());
    }

    @ParameterizedTest(name = "{0} key, {1}")
    @CsvSource({"bot-rsa, TLSv1.3", "bot-rsa, TLSv1.2", "bot-ec, TLSv1.3", "bot-ec, TLSv1.2"})
    void theServerReceivesTheTokensCertificateSignedOnTheToken(String label, String protocol) throws Exception {
        Identity identity = new IdentityLoader().load(byLabel(label));
        SSLContext client = SSLContext.getInstance(protocol);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(TestPki.trustStore("PKCS12", ca.certificate()));
        client.init(new javax.net.ssl.KeyManager[] {new OneIdentity(identity)}, trust.getTrustManagers(), null);
        assertEquals(identity.leaf().getSubjectX500Principal().getName(), server.get(client, "localhost"));
    }

    @Test
    void wrongPinIsOneMessageNamingTheTokenAndLabelButNotThePin() {
        String message = failure(IdentitySpec.pkcs11(Pkcs11Key.inToken(SoftHsmToken.library(), neverLoggedIn.label(),
                Secret.of("not-" + PIN), "bot-ec"), null));
        assertEquals("pkcs11 token 'mtls-wrong-pin' key 'bot-ec' (library " + SoftHsmToken.library()
                + "): wrong PIN (the token refused the login)", message);
        assertFalse(message.contains("not-" + PIN));
        // Asked again (the next reload tick) with the same PIN: not tried on the token, which would lock it.
        String again = failure(IdentitySpec.pkcs11(Pkcs11Key.inToken(SoftHsmToken.library(), neverLoggedIn.label(),
                Secret.of("not-" + PIN), "bot-ec"), null));
        assertEquals("pkcs11 token 'mtls-wrong-pin' key 'bot-ec' (library " + SoftHsmToken.library()
                + "): wrong PIN (the token refused the login); not tried again until the PIN changes, so that the"
                + " reload does not lock the token", again);
    }

    @Test
    void missingTokenNamesTheLabelsPresent() {
        String message = failure(IdentitySpec.pkcs11(Pkcs11Key.inToken(SoftHsmToken.library(), "no-such-token",
                Secret.of(PIN), "bot-ec"), null));
        assertTrue(message.startsWith("pkcs11 token 'no-such-token' key 'bot-ec' (library " + SoftHsmToken.library()
                + "): no token labelled 'no-such-token' (present: "), message);
        assertTrue(message.contains("'mtls-unit'"), message);
    }

    @Test
    void missingSlotIsOneMessage() {
        String message = failure(IdentitySpec.pkcs11(Pkcs11Key.inSlot(SoftHsmToken.library(), 987654321L,
                Secret.of(PIN), "bot-ec"), null));
        assertTrue(message.startsWith("pkcs11 slot 987654321 key 'bot-ec' (library " + SoftHsmToken.library()
                + "): no usable token in slot 987654321"), message);
    }

    @Test
    void missingLabelNamesTheLabelsTheTokenHolds() {
        String message = failure(byLabel("bot-gone"));
        assertEquals("pkcs11 token 'mtls-unit' key 'bot-gone' (library " + SoftHsmToken.library() + "): no private"
                + " key with a certificate under label 'bot-gone' (the token lists 'bot-ec', 'bot-rsa'; the JDK sees"
                + " a key only when its certificate, with the same CKA_ID, is on the token too)",
                message.replace("'bot-rsa', 'bot-ec'", "'bot-ec', 'bot-rsa'"));
    }

    @Test
    void aLibraryThatDoesNotLoadIsOneMessage() throws Exception {
        Path notALibrary = Files.writeString(dir.resolve("not-a-library.so"), "not an ELF file");
        String byToken = failure(IdentitySpec.pkcs11(Pkcs11Key.inToken(notALibrary, "mtls-unit", Secret.of(PIN),
                "bot-ec"), null));
        assertTrue(byToken.startsWith("pkcs11 token 'mtls-unit' key 'bot-ec' (library " + notALibrary
                + "): the PKCS#11 library " + notALibrary + " does not load ("), byToken);
        Path missing = dir.resolve("missing.so");
        String bySlot = failure(IdentitySpec.pkcs11(Pkcs11Key.inSlot(missing, 0, Secret.of(PIN), "bot-ec"), null));
        assertTrue(bySlot.startsWith("pkcs11 slot 0 key 'bot-ec' (library " + missing + "): the PKCS#11 library "
                + missing + " does not exist"), bySlot);
    }

    @Test
    void aCertificateFileThatDoesNotMatchTheKeyIsRefused() throws Exception {
        Path chain = TestPki.writePem(dir.resolve("ec-chain.pem"), ec.chain());
        String message = failure(IdentitySpec.pkcs11(
                Pkcs11Key.inToken(SoftHsmToken.library(), token.label(), Secret.of(PIN), "bot-rsa"), chain));
        assertTrue(message.contains("key 'bot-rsa'") && message.contains("private key does not belong to certificate"),
                message);
    }

    @Test
    void aNewCertificateUnderTheLabelChangesTheTokenStateAndLoads() {
        Pkcs11Key key = Pkcs11Key.inToken(SoftHsmToken.library(), renewing.label(), Secret.of(PIN), "bot-ec");
        String before = Pkcs11Tokens.state(key);
        assertEquals(before, Pkcs11Tokens.state(key), "unchanged objects read the same");
        TestCertificate sameKey = SoftHsmFixture.renewed(ec, "bot-ec-renewed");
        renewing.replaceCertificate("bot-ec", "02", sameKey.certificate());
        assertNotEquals(before, Pkcs11Tokens.state(key));
        try {
            assertEquals(sameKey.certificate(), new IdentityLoader().load(IdentitySpec.pkcs11(key, null)).leaf());
        } catch (MaterialException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aKeyGoneFromTheTokenFailsTheHandshakeNamingTheToken() throws Exception {
        Identity identity = new IdentityLoader().load(IdentitySpec.pkcs11(Pkcs11Key.inToken(SoftHsmToken.library(),
                renewing.label(), Secret.of(PIN), "bot-doomed"), null));
        renewing.deleteKey("bot-doomed");
        SignatureException signing = assertThrows(SignatureException.class, () -> Pkcs11Tokens.sign("SHA256withECDSA",
                null, identity.privateKey(), null, new byte[] {1, 2, 3}));
        MESSAGES.add(signing.getMessage());
        assertTrue(signing.getMessage().startsWith("pkcs11 token 'mtls-renew' key 'bot-doomed' (library "
                + SoftHsmToken.library() + "): the token cannot sign ("), signing.getMessage());
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        trust.init(TestPki.trustStore("PKCS12", ca.certificate()));
        client.init(new javax.net.ssl.KeyManager[] {new OneIdentity(identity)}, trust.getTrustManagers(), null);
        assertThrows(java.io.IOException.class, () -> server.get(client, "localhost"),
                "no handshake without the key: fails closed, never without a certificate");
    }

    private static String failure(IdentitySpec spec) {
        MaterialException e = assertThrows(MaterialException.class, () -> new IdentityLoader().load(spec));
        MESSAGES.add(e.getMessage());
        return e.getMessage();
    }

    /** The one identity, whatever is asked: what a routing key manager answers for a covered host. */
    private static final class OneIdentity extends X509ExtendedKeyManager {
        private final Identity identity;

        OneIdentity(Identity identity) {
            this.identity = identity;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "token";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "token";
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "token";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"token"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {"token"};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return identity.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return identity.privateKey();
        }
    }
}
