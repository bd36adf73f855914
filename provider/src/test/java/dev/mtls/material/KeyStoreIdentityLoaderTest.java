package dev.mtls.material;

import static dev.mtls.material.MaterialAssertions.KEY_PASSWORD;
import static dev.mtls.material.MaterialAssertions.STORE_PASSWORD;
import static dev.mtls.material.MaterialAssertions.WRONG_PASSWORD;
import static dev.mtls.material.MaterialAssertions.assertFailsWith;
import static dev.mtls.material.MaterialAssertions.assertKeyMatchesLeaf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Secret;
import dev.mtls.profile.TrustSpec;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyStoreIdentityLoaderTest {
    private static TestCertificate root;
    private static TestCertificate intermediate;
    private static TestCertificate client;
    private static TestCertificate rsaClient;
    private static TestCertificate edClient;

    @TempDir
    Path dir;

    private final IdentityLoader loader = new IdentityLoader();

    @BeforeAll
    static void createPki() {
        root = TestPki.rootCa("Test Root").keyType(KeyType.RSA).create();
        intermediate = root.issue("Test Intermediate").ca().create();
        client = intermediate.issue("client").clientAuth().create();
        rsaClient = intermediate.issue("rsa-client").keyType(KeyType.RSA).clientAuth().create();
        edClient = intermediate.issue("ed-client").keyType(KeyType.ED25519).clientAuth().create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void loadsOnlyKeyEntryWithoutAlias(String type) throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, STORE_PASSWORD, "me");
        Identity identity = loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), null, null));
        assertKeyMatchesLeaf(identity, client.certificate());
        assertEquals(client.chain(), identity.chain());
        assertEquals("EC", identity.keyType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void loadsRsaAndEd25519Entries(String type) throws Exception {
        Path store = TestPki.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, KEY_PASSWORD,
                Map.of("rsa", rsaClient, "ed", edClient));
        Identity rsa = loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), secret(KEY_PASSWORD),
                "rsa"));
        Identity ed = loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), secret(KEY_PASSWORD),
                "ed"));
        assertKeyMatchesLeaf(rsa, rsaClient.certificate());
        assertEquals("RSA", rsa.keyType());
        assertKeyMatchesLeaf(ed, edClient.certificate());
        assertEquals("EdDSA", ed.keyType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void choosesEntryByAlias(String type) throws Exception {
        Path store = twoEntries(type);
        Identity identity = loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD),
                secret(KEY_PASSWORD), "second"));
        assertKeyMatchesLeaf(identity, rsaClient.certificate());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void rejectsSeveralKeyEntriesWithoutAlias(String type) throws Exception {
        Path store = twoEntries(type);
        assertFailsWith(store + ": several key entries; choose one with alias (aliases: first, second)",
                () -> loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), secret(KEY_PASSWORD),
                        null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void rejectsMissingAlias(String type) throws Exception {
        Path store = twoEntries(type);
        assertFailsWith(store + ": no key entry with alias 'foo' (aliases: first, second)",
                () -> loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), secret(KEY_PASSWORD),
                        "foo")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void rejectsWrongStorePassword(String type) throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, STORE_PASSWORD, "me");
        assertFailsWith(store + ": wrong store password",
                () -> loader.load(IdentitySpec.keyStore(store, type, secret(WRONG_PASSWORD), null, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void rejectsWrongKeyPassword(String type) throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, KEY_PASSWORD, "me");
        assertFailsWith(store + ": wrong key password for alias 'me'",
                () -> loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), secret(WRONG_PASSWORD),
                        null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void triesStorePasswordWhenKeyPasswordIsAbsent(String type) throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, KEY_PASSWORD, "me");
        assertFailsWith(store + ": wrong key password for alias 'me' (the store password was tried; set keyPassword)",
                () -> loader.load(IdentitySpec.keyStore(store, type, secret(STORE_PASSWORD), null, null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PKCS12", "JKS"})
    void guessesTypeFromContent(String type) throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.store"), type, STORE_PASSWORD, STORE_PASSWORD, "me");
        Identity identity = loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null));
        assertKeyMatchesLeaf(identity, client.certificate());
    }

    @Test
    void guessesTypeFromFileName() throws Exception {
        for (String name : new String[] {"client.p12", "client.pfx", "client.jks"}) {
            String type = name.endsWith(".jks") ? "JKS" : "PKCS12";
            Path store = client.writeKeyStore(dir.resolve(name), type, STORE_PASSWORD, STORE_PASSWORD, "me");
            assertKeyMatchesLeaf(loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)),
                    client.certificate());
        }
    }

    @Test
    void rejectsUnknownStoreType() throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "me");
        assertFailsWith(store + ": unknown keystore type 'PKCS11X' (use PKCS12, JKS or JCEKS)",
                () -> loader.load(IdentitySpec.keyStore(store, "PKCS11X", secret(STORE_PASSWORD), null, null)));
    }

    @Test
    void rejectsPemFileGivenAsKeyStore() throws Exception {
        Path pem = client.writeChain(dir.resolve("client.store"));
        assertFailsWith(pem + ": a PEM file, not a keystore (name PEM files as certificate and key, or as trust "
                + "certificates)", () -> loader.load(IdentitySpec.keyStore(pem, null, secret(STORE_PASSWORD), null,
                null)));
    }

    @Test
    void rejectsDamagedKeyStore() throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "me");
        byte[] bytes = Files.readAllBytes(store);
        Files.write(store, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertFailsWith(store + ": not a readable PKCS12 keystore (damaged, or another format)",
                () -> loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)));
    }

    @Test
    void rejectsMissingKeyStore() {
        Path store = dir.resolve("absent.p12");
        assertFailsWith(store + ": missing file",
                () -> loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)));
    }

    @Test
    void rejectsTrustStoreGivenAsIdentity() throws Exception {
        Path store = TestPki.writeTrustStore(dir.resolve("trust.p12"), "PKCS12", STORE_PASSWORD, root.certificate());
        assertFailsWith(store + ": no key entry in the keystore (it holds only certificates)",
                () -> loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)));
    }

    @Test
    void rejectsKeyStoreWithoutAnyPassword() throws Exception {
        Path store = client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "me");
        assertFailsWith(store + ": no password for the private key of alias 'me' (set keyPassword or storePassword)",
                () -> loader.load(IdentitySpec.keyStore(store, null, null, null, null)));
    }

    @Test
    void rejectsKeyEntryWhoseKeyDoesNotBelongToItsCertificate() throws Exception {
        KeyStore mixed = KeyStore.getInstance("PKCS12");
        mixed.load(null, null);
        mixed.setKeyEntry("me", rsaClient.privateKey(), STORE_PASSWORD.toCharArray(),
                new X509Certificate[] {client.certificate()});
        Path store = dir.resolve("mixed.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            mixed.store(out, STORE_PASSWORD.toCharArray());
        }
        assertFailsWith(store + ": private key does not belong to certificate CN=client (RSA key, EC certificate)",
                () -> loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)));
    }

    @Test
    void rejectsServerCertificateEntry() throws Exception {
        TestCertificate server = intermediate.issue("backend").serverAuth().create();
        Path store = server.writeKeyStore(dir.resolve("server.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "srv");
        assertFailsWith(store + ": certificate CN=backend cannot be used for client authentication: its extended "
                + "key usage is serverAuth, without clientAuth",
                () -> loader.load(IdentitySpec.keyStore(store, null, secret(STORE_PASSWORD), null, null)));
    }

    private Path twoEntries(String type) {
        return TestPki.writeKeyStore(dir.resolve("two.store"), type, STORE_PASSWORD, KEY_PASSWORD,
                Map.of("first", client, "second", rsaClient));
    }

    private static Secret secret(String value) {
        return Secret.of(value);
    }

    @Test
    void refusesAKeyEntryWithoutCertificatesAsADamagedKeystore() throws Exception {
        // Found by KeyStoreFuzzTest: a JCEKS key entry whose chain is empty, read without a store
        // password (so without the integrity check), made the JDK throw ArrayIndexOutOfBoundsException.
        Path store = jceksKeyEntryWithoutCertificates(client.writeKeyStore(dir.resolve("client.jceks"), "JCEKS",
                STORE_PASSWORD, STORE_PASSWORD, "me"));
        assertFailsWith(store + ": damaged keystore (an entry cannot be read)",
                () -> loader.load(IdentitySpec.keyStore(store, "JCEKS", null, secret(STORE_PASSWORD), null)));
        assertFailsWith(store + ": damaged keystore (an entry cannot be read)",
                () -> new TrustLoader().load(TrustSpec.keyStore(store, "JCEKS", null, false)));
    }

    /** The JCEKS layout: magic, version, count, then tag, alias, date, protected key, chain; a digest. */
    private static Path jceksKeyEntryWithoutCertificates(Path store) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataInputStream in = new DataInputStream(Files.newInputStream(store));
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(in.readInt());
            out.writeInt(in.readInt());
            assertEquals(1, in.readInt());
            out.writeInt(1);
            out.writeInt(in.readInt());
            out.writeUTF(in.readUTF());
            out.writeLong(in.readLong());
            byte[] key = new byte[in.readInt()];
            in.readFully(key);
            out.writeInt(key.length);
            out.write(key);
            out.writeInt(0);
            out.write(new byte[20]);
        }
        return Files.write(store, bytes.toByteArray());
    }
}
