package dev.mtls.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestPki.KeyType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {
    @TempDir
    Path dir;

    @Test
    void issuesChainThatValidatesAgainstRoot() throws Exception {
        TestCertificate root = TestPki.rootCa("Test Root").keyType(KeyType.RSA).create();
        TestCertificate intermediate = root.issue("Test Intermediate").ca().create();
        TestCertificate client = intermediate.issue("client").keyType(KeyType.ED25519).clientAuth().create();

        assertEquals(List.of(client.certificate(), intermediate.certificate()), client.chain());
        assertEquals(root.certificate(), client.root());
        assertEquals(List.of(TestPki.CLIENT_AUTH), client.certificate().getExtendedKeyUsage());
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root.certificate(), null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(client.chain()), parameters);
    }

    @Test
    void setsNamesUsagesAndValidity() throws Exception {
        TestCertificate root = TestPki.rootCa("Root").create();
        TestCertificate server = root.issue("localhost").subject("CN=localhost, O=Acme").serverAuth()
                .dns("localhost").ip("127.0.0.1").keyUsage("keyEncipherment").expired().create();

        assertEquals("CN=localhost,O=Acme", server.subject());
        assertEquals(2, server.certificate().getSubjectAlternativeNames().size());
        assertEquals(false, server.certificate().getKeyUsage()[0]);
        assertThrows(CertificateExpiredException.class, () -> server.certificate().checkValidity());
    }

    @Test
    void makesRsaKeysOfTheSizeAsked() throws Exception {
        TestCertificate root = TestPki.rootCa("Root").create();
        TestCertificate weak = root.issue("weak").rsaKeySize(768).create();

        assertEquals(768, ((RSAPublicKey) weak.certificate().getPublicKey()).getModulus().bitLength());
        weak.certificate().verify(root.certificate().getPublicKey());
    }

    @Test
    void writesEveryKeyFormatAsItsPemLabel() throws Exception {
        TestCertificate root = TestPki.rootCa("Root").create();
        TestCertificate rsa = root.issue("rsa").keyType(KeyType.RSA).create();
        TestCertificate ec = root.issue("ec").create();
        TestCertificate ed = root.issue("ed").keyType(KeyType.ED25519).create();

        assertPem(rsa.writePkcs8Key(dir.resolve("a")), "-----BEGIN PRIVATE KEY-----");
        assertPem(ed.writePkcs8Key(dir.resolve("b")), "-----BEGIN PRIVATE KEY-----");
        assertPem(ec.writeEncryptedPkcs8Key(dir.resolve("c"), "pw"), "-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertPem(rsa.writePkcs1Key(dir.resolve("d")), "-----BEGIN RSA PRIVATE KEY-----");
        assertPem(rsa.writeEncryptedPkcs1Key(dir.resolve("e"), "pw"), "DEK-Info: AES-256-CBC");
        assertPem(ec.writeSec1Key(dir.resolve("f")), "-----BEGIN EC PRIVATE KEY-----");
        assertPem(ec.writeSec1KeyWithParameters(dir.resolve("g")), "-----BEGIN EC PARAMETERS-----");
        assertPem(ec.writeEncryptedSec1Key(dir.resolve("h"), "pw"), "DEK-Info: AES-256-CBC");
        assertThrows(IllegalStateException.class, () -> ec.writePkcs1Key(dir.resolve("i")));
    }

    @Test
    void writesKeyStoresAndTrustStores() throws Exception {
        TestCertificate root = TestPki.rootCa("Root").create();
        TestCertificate a = root.issue("a").create();
        TestCertificate b = root.issue("b").keyType(KeyType.RSA).create();
        for (String type : List.of("PKCS12", "JKS")) {
            KeyStore one = load(a.writeKeyStore(dir.resolve("one-" + type), type, "store", "key", "me"), type,
                    "store");
            assertArrayEquals(a.privateKey().getEncoded(), one.getKey("me", "key".toCharArray()).getEncoded());

            KeyStore two = load(TestPki.writeKeyStore(dir.resolve("two-" + type), type, "store", "store",
                    Map.of("a", a, "b", b)), type, "store");
            assertEquals(2, two.size());

            KeyStore trust = load(TestPki.writeTrustStore(dir.resolve("trust-" + type), type, "store",
                    root.certificate()), type, "store");
            assertTrue(trust.isCertificateEntry("ca-0"));
        }
        KeyStore open = load(TestPki.writeTrustStore(dir.resolve("open.p12"), "PKCS12", null, root.certificate()),
                "PKCS12", null);
        assertEquals(root.certificate(), (X509Certificate) open.getCertificate("ca-0"));
        KeyStore openJks = load(TestPki.writeTrustStore(dir.resolve("open.jks"), "JKS", null, root.certificate()),
                "JKS", null);
        assertEquals(root.certificate(), (X509Certificate) openJks.getCertificate("ca-0"));
        Path openSsl = TestPki.writeOpenSslTrustStore(dir.resolve("openssl.p12"), "store", root.certificate());
        assertEquals(0, load(openSsl, "PKCS12", "store").size());
    }

    private static void assertPem(Path file, String expected) throws Exception {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(text.contains(expected), text.lines().findFirst().orElse(""));
    }

    private static KeyStore load(Path file, String type, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
