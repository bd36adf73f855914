package dev.mtls.material;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.fuzzing.FuzzSecrets;
import dev.mtls.profile.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the PEM readers and the private-key decoder ({@link PemReader},
 * {@link PlainPem}, {@link BouncyCastlePem}, {@link PrivateKeyDecoder}). An input is either raw
 * file bytes or an edit of a key or chain generated at test time ({@link MaterialTemplates}).
 * Reading may only end in a result or a {@link MaterialException} that names the file and holds
 * no password; a key the JDK-only reader accepts, Bouncy Castle reads to the same key, and
 * certificates both accept, both read the same (PlainPem's documentation). See docs/FUZZING.md.
 */
class PemFuzzTest {
    private static final Path FOLDER = MaterialFuzzing.folder("mtls-fuzz-pem");
    private static final List<List<PemObject>> FILES = MaterialTemplates.pemFiles(FOLDER);
    private static final Path FILE = FOLDER.resolve("fuzzed.pem");

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void readsKeysAndCertificatesOrRefusesWithMaterialException(FuzzedDataProvider data) throws IOException {
        Secret password = data.consumeBoolean() ? Secret.of(FuzzSecrets.PASSWORD) : null;
        int choice = data.consumeInt(0, FILES.size());
        byte[] bytes = choice == FILES.size() ? data.consumeRemainingAsBytes()
                : MaterialTemplates.editedPem(FILES.get(choice), data);
        Files.write(FILE, bytes);

        try {
            assertFalse(PemReader.readCertificates(FILE).isEmpty());
        } catch (MaterialException e) {
            MaterialFuzzing.assertOperatorMessage(e, FILE);
        }
        try {
            assertNotNull(PemReader.readPrivateKey(FILE, password));
        } catch (MaterialException e) {
            MaterialFuzzing.assertOperatorMessage(e, FILE);
        }

        PlainPem plain = PlainPem.decode(bytes);
        List<X509Certificate> bouncyCastleCertificates = readWithBouncyCastle(bytes);
        if (plain != null && !plain.certificates().isEmpty() && bouncyCastleCertificates != null) {
            assertEquals(bouncyCastleCertificates, plain.certificates(), "certificates read by the JDK alone");
        }
        // Certificates next to the key may be what Bouncy Castle refuses (the gap below); else it reads the key.
        if (plain != null && plain.privateKeys().size() == 1
                && (plain.certificates().isEmpty() || bouncyCastleCertificates != null)) {
            PrivateKey bouncyCastle = keyWithBouncyCastle(bytes, password);
            assertEquals(plain.privateKeys().get(0).getAlgorithm(), bouncyCastle.getAlgorithm());
            assertArrayEquals(plain.privateKeys().get(0).getEncoded(), bouncyCastle.getEncoded(),
                    "key read by the JDK alone");
        }
    }

    /**
     * Null where Bouncy Castle refuses: its certificate parser checks some structure the JDK's does
     * not (an extension with an element too many, found by this test), and the JDK-only reader does
     * not try to repeat every such check; it accepts what the JDK, and so JSSE, accepts.
     */
    private static List<X509Certificate> readWithBouncyCastle(byte[] bytes) {
        try {
            return BouncyCastlePem.readCertificates(FILE, bytes);
        } catch (MaterialException e) {
            return null;
        }
    }

    private static PrivateKey keyWithBouncyCastle(byte[] bytes, Secret password) {
        try {
            return BouncyCastlePem.readPrivateKey(FILE, bytes, password);
        } catch (MaterialException e) {
            throw new AssertionError("the JDK alone read a key Bouncy Castle refuses: " + e.getMessage(), e);
        }
    }
}
