package dev.mtls.material;

import static dev.mtls.material.MaterialAssertions.KEY_PASSWORD;
import static dev.mtls.material.MaterialAssertions.WRONG_PASSWORD;
import static dev.mtls.material.MaterialAssertions.assertFailsWith;
import static dev.mtls.material.MaterialAssertions.assertKeyMatchesLeaf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Secret;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemIdentityLoaderTest {
    private static TestCertificate root;
    private static TestCertificate intermediate;
    private static TestCertificate ecClient;
    private static TestCertificate rsaClient;
    private static TestCertificate edClient;

    @TempDir
    Path dir;

    private final IdentityLoader loader = new IdentityLoader();

    @BeforeAll
    static void createPki() {
        root = TestPki.rootCa("Test Root").create();
        intermediate = root.issue("Test Intermediate").ca().create();
        ecClient = intermediate.issue("client").subject("CN=client, O=Acme").clientAuth().create();
        rsaClient = intermediate.issue("rsa-client").keyType(KeyType.RSA).clientAuth().create();
        edClient = intermediate.issue("ed-client").keyType(KeyType.ED25519).clientAuth().create();
    }

    @Test
    void loadsPkcs8RsaKey() throws Exception {
        Identity identity = loadPkcs8(rsaClient);
        assertKeyMatchesLeaf(identity, rsaClient.certificate());
        assertEquals("RSA", identity.keyType());
        assertEquals(rsaClient.chain(), identity.chain());
    }

    @Test
    void loadsPkcs8EcKey() throws Exception {
        Identity identity = loadPkcs8(ecClient);
        assertKeyMatchesLeaf(identity, ecClient.certificate());
        assertEquals("EC", identity.keyType());
    }

    @Test
    void loadsEd25519Key() throws Exception {
        Identity identity = loadPkcs8(edClient);
        assertKeyMatchesLeaf(identity, edClient.certificate());
        assertEquals("EdDSA", identity.keyType());
    }

    @Test
    void loadsEncryptedPkcs8Key() throws Exception {
        Path key = ecClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertKeyMatchesLeaf(load(ecClient, key, KEY_PASSWORD), ecClient.certificate());
    }

    @Test
    void loadsEncryptedPkcs8Ed25519Key() throws Exception {
        Path key = edClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertKeyMatchesLeaf(load(edClient, key, KEY_PASSWORD), edClient.certificate());
    }

    @Test
    void loadsPkcs1RsaKey() throws Exception {
        Path key = rsaClient.writePkcs1Key(dir.resolve("client.key"));
        assertKeyMatchesLeaf(load(rsaClient, key, null), rsaClient.certificate());
    }

    @Test
    void loadsLegacyEncryptedPkcs1Key() throws Exception {
        Path key = rsaClient.writeEncryptedPkcs1Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertKeyMatchesLeaf(load(rsaClient, key, KEY_PASSWORD), rsaClient.certificate());
    }

    @Test
    void loadsSec1EcKey() throws Exception {
        Path key = ecClient.writeSec1Key(dir.resolve("client.key"));
        assertKeyMatchesLeaf(load(ecClient, key, null), ecClient.certificate());
    }

    @Test
    void loadsSec1KeyAfterEcParametersBlock() throws Exception {
        Path key = ecClient.writeSec1KeyWithParameters(dir.resolve("client.key"));
        assertKeyMatchesLeaf(load(ecClient, key, null), ecClient.certificate());
    }

    @Test
    void loadsLegacyEncryptedSec1Key() throws Exception {
        Path key = ecClient.writeEncryptedSec1Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertKeyMatchesLeaf(load(ecClient, key, KEY_PASSWORD), ecClient.certificate());
    }

    @Test
    void loadsKeyFromFileThatAlsoHoldsCertificates() throws Exception {
        Path combined = dir.resolve("client.pem");
        String key = Files.readString(ecClient.writePkcs8Key(dir.resolve("client.key")));
        String chain = Files.readString(ecClient.writeChain(dir.resolve("chain.pem")));
        Files.writeString(combined, chain + key);
        assertKeyMatchesLeaf(loader.load(IdentitySpec.pem(combined, combined, null)), ecClient.certificate());
    }

    @Test
    void reordersShuffledChain() throws Exception {
        Path chain = TestPki.writePem(dir.resolve("chain.pem"), root.certificate(), ecClient.certificate(),
                intermediate.certificate());
        Identity identity = loader.load(IdentitySpec.pem(chain, ecClient.writePkcs8Key(dir.resolve("k")), null));
        assertEquals(List.of(ecClient.certificate(), intermediate.certificate(), root.certificate()),
                identity.chain());
    }

    @Test
    void rejectsChainWithUnrelatedCertificate() throws Exception {
        TestCertificate stranger = TestPki.rootCa("Stranger CA").create();
        Path chain = TestPki.writePem(dir.resolve("chain.pem"), stranger.certificate(), ecClient.certificate(),
                intermediate.certificate());
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(chain + ": certificates do not form one chain: 2 certificates issued none of the others, "
                + "so each would be a leaf: CN=Stranger CA; CN=client,O=Acme",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsChainWithMissingIntermediate() throws Exception {
        Path chain = TestPki.writePem(dir.resolve("chain.pem"), ecClient.certificate(), root.certificate());
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(chain + ": certificates do not form one chain: no certificate in the file issued "
                + "CN=client,O=Acme (issuer CN=Test Intermediate), so CN=Test Root is not part of its path",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsCertificateBeyondTheRoot() throws Exception {
        TestCertificate stranger = TestPki.rootCa("Stranger CA").create();
        TestCertificate strangerLeaf = stranger.issue("stranger").create();
        Path chain = TestPki.writePem(dir.resolve("chain.pem"), ecClient.certificate(), intermediate.certificate(),
                root.certificate(), strangerLeaf.certificate());
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(chain + ": certificates do not form one chain: CN=stranger is not on the path from "
                + "CN=client,O=Acme to its root CN=Test Root", () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void dropsRepeatedCertificate() throws Exception {
        Path chain = TestPki.writePem(dir.resolve("chain.pem"), ecClient.certificate(), ecClient.certificate(),
                intermediate.certificate());
        Identity identity = loader.load(IdentitySpec.pem(chain, ecClient.writePkcs8Key(dir.resolve("k")), null));
        assertEquals(ecClient.chain(), identity.chain());
    }

    @Test
    void rejectsEmptyChainFile() throws Exception {
        Path chain = Files.createFile(dir.resolve("chain.pem"));
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(chain + ": no certificate found (empty file)",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsKeyThatDoesNotBelongToCertificate() throws Exception {
        TestCertificate other = intermediate.issue("other").clientAuth().create();
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = other.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(key + ": private key does not belong to certificate CN=client,O=Acme",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsKeyOfAnotherTypeThanCertificate() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = rsaClient.writePkcs1Key(dir.resolve("client.key"));
        assertFailsWith(key + ": private key does not belong to certificate CN=client,O=Acme (RSA key, EC certificate)",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsRsaKeyOfAnotherRsaCertificate() throws Exception {
        TestCertificate other = intermediate.issue("other").keyType(KeyType.RSA).create();
        Path chain = rsaClient.writeChain(dir.resolve("chain.pem"));
        Path key = other.writePkcs1Key(dir.resolve("client.key"));
        assertFailsWith(key + ": private key does not belong to certificate CN=rsa-client",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsEd25519KeyOfAnotherCertificate() throws Exception {
        TestCertificate other = intermediate.issue("other").keyType(KeyType.ED25519).create();
        Path chain = edClient.writeChain(dir.resolve("chain.pem"));
        Path key = other.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(key + ": private key does not belong to certificate CN=ed-client",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsWrongPasswordForEncryptedPkcs8Key() throws Exception {
        Path key = ecClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertFailsWith(key + ": wrong password for the encrypted private key",
                () -> load(ecClient, key, WRONG_PASSWORD));
    }

    @Test
    void refusesAnEncryptedKeyAskingForBillionsOfIterations() throws Exception {
        // Found by PemFuzzTest: the PBKDF2 count is the file's to choose, and deriving the key took hours.
        Path key = withIterations(ecClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD),
                2_000_000_000);
        assertFailsWith(key + ": the private key's encryption asks for a key-derivation iteration count outside 1 to"
                + " 1000000; re-encrypt it (openssl pkcs8 -topk8 -v2 aes-256-cbc)", () -> load(ecClient, key, KEY_PASSWORD));
    }

    @Test
    void refusesAnEncryptedKeyWithANegativeIterationCount() throws Exception {
        // Found by PemFuzzTest: Bouncy Castle derived with the low 32 bits of a negative count, millions of rounds.
        Path key = withIterations(ecClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD), -16);
        assertFailsWith(key + ": the private key's encryption asks for a key-derivation iteration count outside 1 to"
                + " 1000000; re-encrypt it (openssl pkcs8 -topk8 -v2 aes-256-cbc)", () -> load(ecClient, key, KEY_PASSWORD));
    }

    /** The same encrypted key, its PBKDF2 parameters asking for {@code iterations} rounds. */
    private static Path withIterations(Path key, int iterations) throws Exception {
        EncryptedPrivateKeyInfo info;
        try (PemReader reader = new PemReader(Files.newBufferedReader(key))) {
            info = EncryptedPrivateKeyInfo.getInstance(reader.readPemObject().getContent());
        }
        PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
        PBKDF2Params pbkdf2 = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
        PBKDF2Params changed = new PBKDF2Params(pbkdf2.getSalt(), iterations, pbkdf2.getPrf());
        EncryptedPrivateKeyInfo edited = new EncryptedPrivateKeyInfo(new AlgorithmIdentifier(
                PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(new KeyDerivationFunc(
                        PKCSObjectIdentifiers.id_PBKDF2, changed), pbes2.getEncryptionScheme())),
                info.getEncryptedData());
        try (PemWriter writer = new PemWriter(Files.newBufferedWriter(key))) {
            writer.writeObject(new PemObject("ENCRYPTED PRIVATE KEY", edited.getEncoded()));
        }
        return key;
    }

    @Test
    void rejectsWrongPasswordForLegacyEncryptedKey() throws Exception {
        Path key = rsaClient.writeEncryptedPkcs1Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertFailsWith(key + ": wrong password for the encrypted private key",
                () -> load(rsaClient, key, WRONG_PASSWORD));
    }

    @Test
    void rejectsKeyEncryptedWithUnknownCipher() throws Exception {
        Path key = rsaClient.writeEncryptedPkcs1Key(dir.resolve("client.key"), KEY_PASSWORD);
        Files.writeString(key, Files.readString(key).replace("AES-256-CBC", "RC9-CBC"));
        assertFailsWith(key + ": the private key is encrypted with an unsupported algorithm",
                () -> load(rsaClient, key, KEY_PASSWORD));
    }

    @Test
    void rejectsEncryptedKeyWithoutPassword() throws Exception {
        Path key = ecClient.writeEncryptedPkcs8Key(dir.resolve("client.key"), KEY_PASSWORD);
        assertFailsWith(key + ": the private key is encrypted but no key password is given",
                () -> load(ecClient, key, null));
    }

    @Test
    void ignoresPasswordForPlainKey() throws Exception {
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertKeyMatchesLeaf(load(ecClient, key, KEY_PASSWORD), ecClient.certificate());
    }

    @Test
    void rejectsKeyFileHoldingOnlyCertificates() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = ecClient.writeCertificate(dir.resolve("client.key"));
        assertFailsWith(key + ": not a PEM private key (the file holds only certificates)",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsKeyFileThatIsNotPem() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = Files.write(dir.resolve("client.key"), ecClient.privateKey().getEncoded());
        assertFailsWith(key + ": not a PEM private key (the file is not PEM text)",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsFileWithTwoKeys() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = dir.resolve("client.key");
        Files.writeString(key, Files.readString(ecClient.writePkcs8Key(dir.resolve("a")))
                + Files.readString(rsaClient.writePkcs8Key(dir.resolve("b"))));
        assertFailsWith(key + ": more than one private key in the file",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsOpenSshKeyWithHowToConvert() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = Files.writeString(dir.resolve("id_ed25519"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        assertFailsWith(key + ": not a readable PEM file (unsupported block 'OPENSSH PRIVATE KEY'; "
                + "convert it with ssh-keygen -p -m PKCS8)", () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsMissingFiles() throws Exception {
        Path chain = dir.resolve("missing-chain.pem");
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        assertFailsWith(chain + ": missing file", () -> loader.load(IdentitySpec.pem(chain, key, null)));
        Path existingChain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path missingKey = dir.resolve("missing.key");
        assertFailsWith(missingKey + ": missing file",
                () -> loader.load(IdentitySpec.pem(existingChain, missingKey, null)));
    }

    @Test
    void rejectsFolderInPlaceOfFile() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        assertFailsWith(dir + ": not a regular file (a directory)", () -> loader.load(IdentitySpec.pem(chain, dir, null)));
    }

    @Test
    void rejectsUnreadableFile() throws Exception {
        Path chain = ecClient.writeChain(dir.resolve("chain.pem"));
        Path key = ecClient.writePkcs8Key(dir.resolve("client.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(key), "running as root: permissions do not apply");
        assertFailsWith(key + ": unreadable file (permission denied)",
                () -> loader.load(IdentitySpec.pem(chain, key, null)));
    }

    @Test
    void rejectsServerOnlyCertificate() throws Exception {
        TestCertificate server = intermediate.issue("backend").serverAuth().create();
        Path chain = dir.resolve("chain.pem");
        assertFailsWith(chain + ": certificate CN=backend cannot be used for client authentication: its extended "
                + "key usage is serverAuth, without clientAuth", () -> loadPkcs8(server));
    }

    @Test
    void rejectsCertificateWithWrongExtendedKeyUsage() throws Exception {
        TestCertificate signer = intermediate.issue("signer").extendedKeyUsage(TestPki.CODE_SIGNING, "1.2.3.4")
                .create();
        Path chain = dir.resolve("chain.pem");
        assertFailsWith(chain + ": certificate CN=signer cannot be used for client authentication: its extended "
                + "key usage is codeSigning, 1.2.3.4, without clientAuth", () -> loadPkcs8(signer));
    }

    @Test
    void rejectsKeyUsageWithoutDigitalSignature() throws Exception {
        TestCertificate cert = intermediate.issue("encipher-only").keyType(KeyType.RSA).keyUsage("keyEncipherment")
                .clientAuth().create();
        Path chain = dir.resolve("chain.pem");
        assertFailsWith(chain + ": certificate CN=encipher-only cannot be used for client authentication: its key "
                + "usage lacks digitalSignature", () -> loadPkcs8(cert));
    }

    @Test
    void acceptsCertificatesThatAllowClientAuthentication() throws Exception {
        List<TestCertificate> certificates = List.of(
                intermediate.issue("both").serverAuth().clientAuth().create(),
                intermediate.issue("any").extendedKeyUsage(TestPki.ANY_EXTENDED_KEY_USAGE).create(),
                intermediate.issue("unrestricted").keyUsage().create());
        for (TestCertificate certificate : certificates) {
            assertKeyMatchesLeaf(loadPkcs8(certificate), certificate.certificate());
        }
    }

    @Test
    void loadsExpiredCertificateAndReportsItsValidity() throws Exception {
        TestCertificate expired = intermediate.issue("old").clientAuth().expired().create();
        Identity identity = loadPkcs8(expired);
        assertTrue(identity.validityProblem(Instant.now()).orElseThrow().contains("expired"));
    }

    /** Writes {@code certificate}'s chain to chain.pem and loads it with {@code key}. */
    private Identity load(TestCertificate certificate, Path key, String password) throws MaterialException {
        Path chain = certificate.writeChain(dir.resolve("chain.pem"));
        return loader.load(IdentitySpec.pem(chain, key, Secret.of(password)));
    }

    /** chain.pem and a plain PKCS#8 client.key. */
    private Identity loadPkcs8(TestCertificate certificate) throws MaterialException {
        return load(certificate, certificate.writePkcs8Key(dir.resolve("client.key")), null);
    }
}
