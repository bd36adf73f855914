package dev.mtls.material;

import static dev.mtls.material.MaterialAssertions.STORE_PASSWORD;
import static dev.mtls.material.MaterialAssertions.WRONG_PASSWORD;
import static dev.mtls.material.MaterialAssertions.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.Secret;
import dev.mtls.profile.TrustSpec;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustLoaderTest {
    private static TestCertificate rootA;
    private static TestCertificate rootB;

    @TempDir
    Path dir;

    private final TrustLoader loader = new TrustLoader();

    @BeforeAll
    static void createPki() {
        rootA = TestPki.rootCa("Backend Root A").create();
        rootB = TestPki.rootCa("Backend Root B").keyType(KeyType.RSA).create();
    }

    @Test
    void loadsEveryCertificateOfPemBundle() throws Exception {
        Path bundle = TestPki.writePem(dir.resolve("ca.pem"), rootA.certificate(), rootB.certificate(),
                rootA.certificate());
        TrustAnchors anchors = loader.load(TrustSpec.pem(bundle, true));
        assertEquals(List.of(rootA.certificate(), rootB.certificate()), anchors.certificates());
        assertTrue(anchors.includeDefault());
    }

    @Test
    void skipsTextAroundPemBlocks() throws Exception {
        Path bundle = dir.resolve("ca.pem");
        Files.writeString(bundle, "# Backend CA, issued 2025\nsubject=CN=Backend Root A\n"
                + Files.readString(rootA.writeCertificate(dir.resolve("a.pem"))) + "\n# end\n");
        assertEquals(List.of(rootA.certificate()), loader.load(TrustSpec.pem(bundle, false)).certificates());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void loadsTrustStoreWithPassword(String type) throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.store"), type, STORE_PASSWORD, rootA.certificate(),
                rootB.certificate());
        TrustAnchors anchors = loader.load(TrustSpec.keyStore(store, type, Secret.of(STORE_PASSWORD), false));
        assertEquals(Set.of(rootA.certificate(), rootB.certificate()), Set.copyOf(anchors.certificates()));
        assertFalse(anchors.includeDefault());
    }

    @ParameterizedTest
    @ValueSource(strings = {"trust.p12", "trust.jks"})
    void loadsTrustStoreWithoutPassword(String name) throws Exception {
        String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
        Path store = TestPki.writeTrustStore(dir.resolve(name), type, null, rootA.certificate());
        assertEquals(List.of(rootA.certificate()), loader.load(TrustSpec.keyStore(store, null, null, false))
                .certificates());
    }

    @Test
    void loadsPkcs12StoredByJdkWithNullPassword() throws Exception {
        KeyStore jdkStore = TestPki.trustStore("PKCS12", rootA.certificate());
        Path store = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            jdkStore.store(out, null);
        }
        assertEquals(List.of(rootA.certificate()), loader.load(TrustSpec.keyStore(store, null, null, false))
                .certificates());
    }

    @Test
    void readsJksTrustStoreWithoutCheckingItsPassword() throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.jks"), "JKS", STORE_PASSWORD, rootA.certificate());
        assertEquals(List.of(rootA.certificate()), loader.load(TrustSpec.keyStore(store, null, null, false))
                .certificates());
    }

    @Test
    void loadsCertificatesOfKeyEntries() throws Exception {
        TestCertificate pinned = rootA.issue("pinned-backend").serverAuth().create();
        Path store = pinned.writeKeyStore(dir.resolve("backend.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "b");
        assertEquals(List.of(pinned.certificate()),
                loader.load(TrustSpec.keyStore(store, null, Secret.of(STORE_PASSWORD), false)).certificates());
    }

    @Test
    void loadsPkcs12TrustStoreWrittenByOpenSsl() throws Exception {
        Path store = TestPki.writeOpenSslTrustStore(dir.resolve("trust.p12"), STORE_PASSWORD, rootA.certificate(),
                rootB.certificate());
        TrustAnchors anchors = loader.load(TrustSpec.keyStore(store, null, Secret.of(STORE_PASSWORD), false));
        assertEquals(Set.of(rootA.certificate(), rootB.certificate()), Set.copyOf(anchors.certificates()));
        assertFalse(anchors.certificates().get(0).getClass().getName().startsWith("org.bouncycastle"));
    }

    @Test
    void rejectsEmptyPemBundle() throws Exception {
        Path bundle = Files.createFile(dir.resolve("ca.pem"));
        assertFailsWith(bundle + ": no certificate found (empty file)", () -> loader.load(TrustSpec.pem(bundle, false)));
    }

    @Test
    void rejectsPemFileWithoutCertificates() throws Exception {
        Path bundle = rootA.writePkcs8Key(dir.resolve("ca.pem"));
        assertFailsWith(bundle + ": no certificate found", () -> loader.load(TrustSpec.pem(bundle, false)));
    }

    @Test
    void rejectsEmptyTrustStore() throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", STORE_PASSWORD);
        assertFailsWith(store + ": no certificate found",
                () -> loader.load(TrustSpec.keyStore(store, null, Secret.of(STORE_PASSWORD), false)));
    }

    @Test
    void explainsProtectedTrustStoreReadWithoutPassword() throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", STORE_PASSWORD, rootA.certificate());
        assertFailsWith(store + ": no certificate found (if the keystore's certificates are password-protected, "
                + "set storePassword)", () -> loader.load(TrustSpec.keyStore(store, null, null, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void rejectsWrongTrustStorePassword(String type) throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.store"), type, STORE_PASSWORD, rootA.certificate());
        assertFailsWith(store + ": wrong store password",
                () -> loader.load(TrustSpec.keyStore(store, type, Secret.of(WRONG_PASSWORD), false)));
    }

    @Test
    void rejectsMissingTrustFiles() {
        Path bundle = dir.resolve("absent.pem");
        assertFailsWith(bundle + ": missing file", () -> loader.load(TrustSpec.pem(bundle, false)));
        Path store = dir.resolve("absent.p12");
        assertFailsWith(store + ": missing file", () -> loader.load(TrustSpec.keyStore(store, null, null, false)));
    }
}
