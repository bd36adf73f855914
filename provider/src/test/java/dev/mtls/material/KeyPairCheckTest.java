package dev.mtls.material;

import static dev.mtls.material.MaterialAssertions.assertFailsWith;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A private key is accepted with its own certificate and refused, with the message an operator
 * sees, with any other. EC keys are checked by a signature the first time a JVM meets their
 * curve and by deriving the public point after that: several keys per curve go through both.
 */
class KeyPairCheckTest {
    private static final Path KEY_FILE = Path.of("/etc/mtls/client.key");
    private static TestCertificate ca;

    @BeforeAll
    static void createCa() {
        ca = TestPki.rootCa("key-pair-check CA").create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void acceptsEachEcKeyWithItsOwnCertificateAndRefusesItWithAnother(String curve) {
        List<TestCertificate> certificates = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            certificates.add(ca.issue(curve + "-" + i).ecCurve(curve).clientAuth().create());
        }
        for (TestCertificate certificate : certificates) {
            assertDoesNotThrow(() -> KeyPairCheck.check(KEY_FILE, certificate.privateKey(), certificate.certificate()));
        }
        for (int i = 0; i < certificates.size(); i++) {
            TestCertificate key = certificates.get(i);
            TestCertificate other = certificates.get((i + 1) % certificates.size());
            assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=" + curve + "-"
                    + (i + 1) % certificates.size(),
                    () -> KeyPairCheck.check(KEY_FILE, key.privateKey(), other.certificate()));
        }
    }

    @Test
    void refusesAnEcKeyWithACertificateOnAnotherCurve() {
        TestCertificate p256 = ca.issue("p256").clientAuth().create();
        TestCertificate p384 = ca.issue("p384").ecCurve("secp384r1").clientAuth().create();
        assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=p384",
                () -> KeyPairCheck.check(KEY_FILE, p256.privateKey(), p384.certificate()));
        assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=p256",
                () -> KeyPairCheck.check(KEY_FILE, p384.privateKey(), p256.certificate()));
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"RSA", "ED25519"})
    void acceptsAKeyWithItsOwnCertificateAndRefusesItWithAnother(KeyType type) {
        TestCertificate mine = ca.issue(type + "-mine").keyType(type).clientAuth().create();
        TestCertificate other = ca.issue(type + "-other").keyType(type).clientAuth().create();
        assertDoesNotThrow(() -> KeyPairCheck.check(KEY_FILE, mine.privateKey(), mine.certificate()));
        assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=" + type + "-other",
                () -> KeyPairCheck.check(KEY_FILE, mine.privateKey(), other.certificate()));
    }

    @Test
    void namesBothKeyTypesWhenTheyDiffer() {
        TestCertificate rsa = ca.issue("rsa").keyType(KeyType.RSA).clientAuth().create();
        TestCertificate ec = ca.issue("ec").clientAuth().create();
        TestCertificate ed = ca.issue("ed").keyType(KeyType.ED25519).clientAuth().create();
        assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=ec (RSA key, EC certificate)",
                () -> KeyPairCheck.check(KEY_FILE, rsa.privateKey(), ec.certificate()));
        assertFailsWith(KEY_FILE + ": private key does not belong to certificate CN=rsa (EdDSA key, RSA certificate)",
                () -> KeyPairCheck.check(KEY_FILE, ed.privateKey(), rsa.certificate()));
    }
}
