package dev.mtls.material;

import dev.mtls.profile.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Every PEM file {@link PemReader} accepts, read with Bouncy Castle's PEM parser: encrypted and
 * legacy key formats, OpenSSL's TRUSTED CERTIFICATE, and the messages for files that are not what
 * they should be. Only loaded (with a few hundred Bouncy Castle classes) for a file that
 * {@link PlainPem} leaves to it.
 */
final class BouncyCastlePem {
    private BouncyCastlePem() {
    }

    /** Every CERTIFICATE (and OpenSSL TRUSTED CERTIFICATE) block in file order; other blocks are skipped. */
    static List<X509Certificate> readCertificates(Path file, byte[] bytes) throws MaterialException {
        // Certificates are parsed by the JDK so that JSSE gets its own X509Certificate class.
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object object : blocks(file, bytes)) {
            X509CertificateHolder holder = object instanceof X509CertificateHolder ? (X509CertificateHolder) object
                    : object instanceof X509TrustedCertificateBlock
                            ? ((X509TrustedCertificateBlock) object).getCertificateHolder()
                            : null;
            if (holder == null) {
                continue;
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (CertificateException e) {
                throw new MaterialException(file + ": certificate number " + (certificates.size() + 1)
                        + " is malformed", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new MaterialException(file + ": no certificate found" + notPemHint(bytes));
        }
        return certificates;
    }

    /**
     * The one private key in the file: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, each possibly next
     * to certificates or EC PARAMETERS blocks, which are skipped. {@code password} may be null.
     */
    static PrivateKey readPrivateKey(Path file, byte[] bytes, Secret password) throws MaterialException {
        Object key = null;
        boolean certificates = false;
        for (Object object : blocks(file, bytes)) {
            if (isPrivateKey(object)) {
                // Picking one of two keys would be a guess the operator cannot see.
                if (key != null) {
                    throw new MaterialException(file + ": more than one private key in the file");
                }
                key = object;
            }
            certificates |= object instanceof X509CertificateHolder;
        }
        if (key == null) {
            throw new MaterialException(file + ": not a PEM private key"
                    + (certificates ? " (the file holds only certificates)" : notPemHint(bytes)));
        }
        return PrivateKeyDecoder.decode(file, key, password);
    }

    private static boolean isPrivateKey(Object object) {
        return object instanceof PrivateKeyInfo || object instanceof PEMKeyPair
                || object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair;
    }

    private static List<Object> blocks(Path file, byte[] bytes) throws MaterialException {
        // ISO-8859-1 maps every byte, so text around the blocks (openssl -text output) never fails to decode.
        try (PEMParser parser = new PEMParser(
                new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1))) {
            List<Object> blocks = new ArrayList<>();
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
            return blocks;
        } catch (IOException | RuntimeException e) {
            throw new MaterialException(file + ": not a readable PEM file (" + reason(e) + ")", e);
        }
    }

    /** Bouncy Castle's own messages may quote decoded content; only the block type is repeated. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        String unknown = "unrecognised object: ";
        if (message.startsWith(unknown)) {
            String type = message.substring(unknown.length());
            return "unsupported block '" + type + "'"
                    + (type.equals("OPENSSH PRIVATE KEY") ? "; convert it with ssh-keygen -p -m PKCS8" : "");
        }
        return "malformed PEM data";
    }

    private static String notPemHint(byte[] bytes) {
        if (bytes.length == 0) {
            return " (empty file)";
        }
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.contains("-----BEGIN ") ? "" : " (the file is not PEM text)";
    }
}
