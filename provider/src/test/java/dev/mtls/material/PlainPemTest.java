package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK-only PEM path must read a file exactly as the Bouncy Castle path does, or leave it to
 * Bouncy Castle (null): never a different result, never a file Bouncy Castle would reject.
 */
class PlainPemTest {
    private static TestCertificate root;
    private static TestCertificate ec;
    private static TestCertificate rsa;
    private static TestCertificate ed;

    @TempDir
    Path dir;

    @BeforeAll
    static void createPki() {
        root = TestPki.rootCa("Plain Root").create();
        ec = root.issue("ec").clientAuth().create();
        rsa = root.issue("rsa").keyType(KeyType.RSA).clientAuth().create();
        ed = root.issue("ed").keyType(KeyType.ED25519).clientAuth().create();
    }

    @Test
    void decodesCertificateChainsAsBouncyCastleDoes() throws Exception {
        String chain = text(ec.writeChain(dir.resolve("chain.pem")));
        for (String variant : variants(chain)) {
            PlainPem plain = PlainPem.decode(bytes(variant));
            assertNotNull(plain, variant);
            assertEquals(BouncyCastlePem.readCertificates(dir.resolve("x"), bytes(variant)), plain.certificates());
            assertEquals(ec.chain(), plain.certificates());
        }
    }

    @Test
    void decodesUnencryptedPkcs8KeysAsBouncyCastleDoes() throws Exception {
        for (TestCertificate certificate : List.of(ec, rsa, ed)) {
            String key = text(certificate.writePkcs8Key(dir.resolve("client.key")));
            for (String variant : variants(key)) {
                PlainPem plain = PlainPem.decode(bytes(variant));
                assertNotNull(plain, variant);
                PrivateKey expected = BouncyCastlePem.readPrivateKey(dir.resolve("x"), bytes(variant), null);
                assertEquals(List.of(expected), plain.privateKeys());
                assertEquals(expected.getClass(), plain.privateKeys().get(0).getClass());
                assertFalse(expected.getClass().getName().contains("bouncycastle"));
            }
        }
    }

    @Test
    void decodesAKeyNextToItsChain() throws Exception {
        String both = text(ec.writeChain(dir.resolve("chain.pem"))) + text(ec.writePkcs8Key(dir.resolve("k")));
        PlainPem plain = PlainPem.decode(bytes(both));
        assertNotNull(plain);
        assertEquals(ec.chain(), plain.certificates());
        assertEquals(1, plain.privateKeys().size());
    }

    @Test
    void leavesEverythingElseToBouncyCastle() throws Exception {
        String certificate = text(ec.writeCertificate(dir.resolve("leaf.pem")));
        String body = certificate.substring(certificate.indexOf('\n') + 1, certificate.indexOf("-----END"));
        List<String> others = List.of(
                text(ec.writeEncryptedPkcs8Key(dir.resolve("a"), "pw")),
                text(rsa.writePkcs1Key(dir.resolve("b"))),
                text(rsa.writeEncryptedPkcs1Key(dir.resolve("c"), "pw")),
                text(ec.writeSec1Key(dir.resolve("d"))),
                text(ec.writeSec1KeyWithParameters(dir.resolve("e"))),
                certificate.replace("CERTIFICATE", "TRUSTED CERTIFICATE"),
                certificate.replace("CERTIFICATE", "X509 CERTIFICATE"),
                // A header line, a BEGIN line Bouncy Castle does not take, a missing END line.
                certificate.replace("-----\n", "-----\nComment: x\n"),
                certificate.replace("-----BEGIN CERTIFICATE-----", "-----BEGIN CERTIFICATE----"),
                certificate.substring(0, certificate.indexOf("-----END")),
                // An indented END line (Bouncy Castle's lax mode differs), Base64 with a space or cut short.
                certificate.replace("-----END", "  -----END"),
                certificate.replace(body, body.substring(0, 10) + " " + body.substring(10)),
                certificate.replace(body, body.substring(0, body.length() - 3) + "\n"),
                // DER with a byte too many, and garbage.
                certificate.replace(body, "MAMCAQEA\n"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        for (String other : others) {
            assertNull(PlainPem.decode(bytes(other)), other);
        }
    }

    @Test
    void leavesACertificateTheJdkParsesMoreLenientlyToBouncyCastle() throws Exception {
        // Found by PemFuzzTest: the issuer's common name re-tagged as end-of-contents (0x00). The JDK
        // keeps an attribute value as opaque bytes and accepted the certificate; Bouncy Castle refuses it.
        byte[] der = ec.certificate().getEncoded();
        byte[] commonName = {0x06, 0x03, 0x55, 0x04, 0x03};
        int at = indexOf(der, commonName) + commonName.length;
        der[at] = 0x00;
        byte[] file = bytes("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n");

        assertNull(PlainPem.decode(file));
        MaterialException refused = assertThrows(MaterialException.class,
                () -> BouncyCastlePem.readCertificates(dir.resolve("leaf.pem"), file));
        assertEquals(dir.resolve("leaf.pem") + ": not a readable PEM file (malformed PEM data)", refused.getMessage());
    }

    @Test
    void leavesAKeyTheJdkParsesMoreLenientlyToBouncyCastle() throws Exception {
        // Found by PemFuzzTest: the RSA algorithm's NULL parameters (05 00) re-tagged as end-of-contents.
        byte[] der = rsa.privateKey().getEncoded();
        byte[] rsaWithNull = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
        der[indexOf(der, rsaWithNull) + rsaWithNull.length - 2] = 0x00;
        byte[] file = bytes("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n");

        assertNull(PlainPem.decode(file));
        MaterialException refused = assertThrows(MaterialException.class,
                () -> BouncyCastlePem.readPrivateKey(dir.resolve("client.key"), file, null));
        assertEquals(dir.resolve("client.key") + ": not a readable PEM file (malformed PEM data)",
                refused.getMessage());
    }

    @Test
    void findsNothingInTextWithoutBlocks() {
        PlainPem plain = PlainPem.decode(bytes("just text\n"));
        assertNotNull(plain);
        assertEquals(List.of(), plain.certificates());
        assertEquals(List.of(), plain.privateKeys());
    }

    /** The same blocks as OpenSSL, Windows editors and humans leave them. */
    private static List<String> variants(String pem) {
        return List.of(
                pem,
                pem.replace("\n", "\r\n"),
                pem.strip(),
                "subject=CN = client\nissuer=CN = Plain Root\nBag Attributes: none\n" + pem,
                pem.replace("-----\n", "-----   \n"),
                pem.replace("\n", "  \n"),
                pem + "\ntrailing text\n");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static String text(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
