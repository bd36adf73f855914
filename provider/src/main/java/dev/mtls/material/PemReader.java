package dev.mtls.material;

import dev.mtls.profile.Secret;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Certificates and private keys from PEM files, as OpenSSL and keytool write them.
 *
 * <p>Two readers, one behaviour: the files nearly everyone has (CERTIFICATE blocks, an
 * unencrypted PKCS#8 PRIVATE KEY) are decoded by the JDK alone ({@link PlainPem}), and anything
 * else — encrypted or legacy key formats, headers, unusual blocks, and every file that fails — by
 * Bouncy Castle ({@link BouncyCastlePem}), which also words the errors. The JDK path only accepts a
 * file the Bouncy Castle path would read to the same result; it exists because loading Bouncy
 * Castle's PEM and ASN.1 classes cost ~160 classes and ~100 ms of the agent's start-up.
 */
final class PemReader {
    private PemReader() {
    }

    /** Every CERTIFICATE (and OpenSSL TRUSTED CERTIFICATE) block in file order; other blocks are skipped. */
    static List<X509Certificate> readCertificates(Path file) throws MaterialException {
        byte[] bytes = MaterialFile.read(file);
        PlainPem plain = PlainPem.decode(bytes);
        if (plain != null && !plain.certificates().isEmpty()) {
            return plain.certificates();
        }
        return BouncyCastlePem.readCertificates(file, bytes);
    }

    /**
     * The one private key in the file: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, each possibly next
     * to certificates or EC PARAMETERS blocks, which are skipped. {@code password} may be null.
     */
    static PrivateKey readPrivateKey(Path file, Secret password) throws MaterialException {
        byte[] bytes = MaterialFile.read(file);
        PlainPem plain = PlainPem.decode(bytes);
        if (plain != null && plain.privateKeys().size() == 1) {
            return plain.privateKeys().get(0);
        }
        return BouncyCastlePem.readPrivateKey(file, bytes, password);
    }
}
