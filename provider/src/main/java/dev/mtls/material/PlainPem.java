package dev.mtls.material;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The common PEM files decoded by the JDK alone: CERTIFICATE blocks (parsed by the JDK's
 * {@code CertificateFactory}) and unencrypted PKCS#8 PRIVATE KEY blocks of RSA, RSASSA-PSS, EC,
 * EdDSA or DSA keys (parsed by the JDK's {@code KeyFactory}). {@link #decode} answers null for
 * anything else, and the caller hands the file to Bouncy Castle.
 *
 * <p>It splits the text exactly as Bouncy Castle's {@code PemReader} does — lines as
 * {@code BufferedReader} sees them, a block from a line starting "-----BEGIN TYPE-----" to one
 * starting "-----END TYPE-----", text between blocks ignored — but gives up (null) wherever Bouncy
 * Castle would do something other than decode the block: a header line (such as DEK-Info), a
 * malformed BEGIN line, a missing END, Base64 that is not canonical, DER with trailing bytes or
 * with an element Bouncy Castle's ASN.1 parser would refuse, a
 * block of another type, or a block the JDK cannot parse. So it never reads a file differently
 * from the Bouncy Castle path, and the errors are always worded there. One gap is left on purpose:
 * Bouncy Castle checks a certificate's fields more strictly than the JDK in places (an extension
 * with an element too many), and repeating every such check here would cost the class loading
 * this reader exists to avoid; such a certificate is accepted, as the JDK (and JSSE) accepts it.
 */
final class PlainPem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private final List<X509Certificate> certificates;
    private final List<PrivateKey> privateKeys;

    private PlainPem(List<X509Certificate> certificates, List<PrivateKey> privateKeys) {
        this.certificates = certificates;
        this.privateKeys = privateKeys;
    }

    /** Certificates in file order. */
    List<X509Certificate> certificates() {
        return certificates;
    }

    List<PrivateKey> privateKeys() {
        return privateKeys;
    }

    /** The file's certificates and keys, or null when Bouncy Castle must read it. */
    static PlainPem decode(byte[] bytes) {
        List<X509Certificate> certificates = new ArrayList<>();
        List<PrivateKey> keys = new ArrayList<>();
        // ISO-8859-1 maps every byte, as the Bouncy Castle path decodes the file.
        BufferedReader lines = new BufferedReader(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith(BEGIN)) {
                    continue;
                }
                String type = blockType(line);
                byte[] der = type == null ? null : blockContent(lines, END + type + DASHES);
                if (der == null) {
                    return null;
                }
                if (type.equals("CERTIFICATE")) {
                    X509Certificate certificate = certificate(der);
                    if (certificate == null) {
                        return null;
                    }
                    certificates.add(certificate);
                } else if (type.equals("PRIVATE KEY")) {
                    PrivateKey key = privateKey(der);
                    if (key == null) {
                        return null;
                    }
                    keys.add(key);
                } else {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new PlainPem(certificates, keys);
    }

    /** "TYPE" of "-----BEGIN TYPE-----", or null for a line Bouncy Castle would not take as a BEGIN line. */
    private static String blockType(String line) {
        String rest = line.substring(BEGIN.length()).trim();
        int dash = rest.indexOf('-');
        return dash > 0 && rest.endsWith(DASHES) && rest.length() - dash == DASHES.length()
                ? rest.substring(0, dash) : null;
    }

    /** The block's bytes, or null for a header, a missing END line or Base64 that is not canonical. */
    private static byte[] blockContent(BufferedReader lines, String endLine) throws IOException {
        StringBuilder base64 = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith(endLine)) {
                try {
                    return base64.length() % 4 == 0 ? Base64.getDecoder().decode(base64.toString()) : null;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            // A header (Proc-Type, DEK-Info): an encrypted legacy key. An indented END line: Bouncy
            // Castle's lax mode would end the block there, its default would not.
            if (line.indexOf(':') >= 0 || line.trim().startsWith(END)) {
                return null;
            }
            base64.append(line.trim());
        }
        return null;
    }

    private static X509Certificate certificate(byte[] der) {
        if (!Der.isWholeSequence(der) || !Der.isWellFormed(der)) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    private static PrivateKey privateKey(byte[] der) {
        String algorithm = keyFactoryAlgorithm(Der.pkcs8AlgorithmOid(der));
        if (algorithm == null || !Der.isWellFormed(der)) {
            return null;
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /** The JDK's KeyFactory for a PKCS#8 algorithm; other algorithms are Bouncy Castle's to try. */
    private static String keyFactoryAlgorithm(String oid) {
        if (oid == null) {
            return null;
        }
        switch (oid) {
            case "1.2.840.113549.1.1.1":
                return "RSA";
            case "1.2.840.113549.1.1.10":
                return "RSASSA-PSS";
            case "1.2.840.10045.2.1":
                return "EC";
            case "1.3.101.112":
                return "Ed25519";
            case "1.3.101.113":
                return "Ed448";
            case "1.2.840.10040.4.1":
                return "DSA";
            default:
                return null;
        }
    }

    /** Just enough DER to check a block's outer structure and find a PKCS#8 key's algorithm. */
    static final class Der {
        /** Far deeper than any certificate nests (about eight levels). */
        private static final int MAX_DEPTH = 32;

        private Der() {
        }

        /** One SEQUENCE with a definite length that ends exactly where the bytes do. */
        static boolean isWholeSequence(byte[] der) {
            int[] sequence = element(der, 0, 0x30);
            return sequence != null && sequence[1] == der.length;
        }

        /**
         * Every element, nested ones included, has a one-byte tag other than end-of-contents and a
         * definite length that ends inside its parent; BOOLEAN, NULL, INTEGER and OBJECT IDENTIFIER
         * contents are well formed. Bouncy Castle's ASN.1 parser insists on all of that when it reads
         * a certificate or a key; the JDK takes some parts as opaque bytes (found by fuzzing: an
         * attribute value in a name, an end-of-contents tag in place of an algorithm's NULL
         * parameters). A block that fails here is left to Bouncy Castle.
         */
        static boolean isWellFormed(byte[] der) {
            return isWellFormed(der, 0, der.length, 0);
        }

        private static boolean isWellFormed(byte[] der, int start, int end, int depth) {
            for (int offset = start; offset < end; ) {
                int tag = der[offset] & 0xFF;
                // 0x1F: a tag number in further bytes, which no certificate field uses.
                int[] element = tag == 0 || (tag & 0x1F) == 0x1F ? null : element(der, offset, tag);
                if (element == null || element[1] > end || !isWellFormedContent(tag, der, element[0], element[1])) {
                    return false;
                }
                boolean constructed = (tag & 0x20) != 0;
                if (constructed && (depth == MAX_DEPTH || !isWellFormed(der, element[0], element[1], depth + 1))) {
                    return false;
                }
                offset = element[1];
            }
            return true;
        }

        private static boolean isWellFormedContent(int tag, byte[] der, int start, int end) {
            int length = end - start;
            switch (tag) {
                case 0x01:
                    return length == 1;
                case 0x05:
                    return length == 0;
                case 0x02:
                    // At least one byte, and no redundant leading 0x00 or 0xFF.
                    return length == 1 || length > 1 && !(der[start] == 0 && der[start + 1] >= 0)
                            && !(der[start] == -1 && der[start + 1] < 0);
                case 0x06:
                    return length > 0 && isMinimalOid(der, start, end);
                default:
                    return true;
            }
        }

        /** Base-128 subidentifiers, none with a leading 0x80 (a padded zero), the last one complete. */
        private static boolean isMinimalOid(byte[] der, int start, int end) {
            boolean atStart = true;
            for (int i = start; i < end; i++) {
                if (atStart && (der[i] & 0xFF) == 0x80) {
                    return false;
                }
                atStart = der[i] >= 0;
            }
            return atStart;
        }

        /**
         * PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm SEQUENCE { algorithm
         * OBJECT IDENTIFIER, ... }, privateKey OCTET STRING, ... }: the algorithm, or null.
         */
        static String pkcs8AlgorithmOid(byte[] der) {
            int[] info = element(der, 0, 0x30);
            if (info == null || info[1] != der.length) {
                return null;
            }
            int[] version = element(der, info[0], 0x02);
            int[] algorithm = version == null ? null : element(der, version[1], 0x30);
            int[] oid = algorithm == null ? null : element(der, algorithm[0], 0x06);
            return oid == null ? null : oidText(der, oid[0], oid[1]);
        }

        /** {contentStart, end} of the element at {@code offset} with tag {@code tag}, or null. */
        private static int[] element(byte[] der, int offset, int tag) {
            if (offset + 2 > der.length || (der[offset] & 0xFF) != tag) {
                return null;
            }
            int first = der[offset + 1] & 0xFF;
            int start = offset + 2;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                // 0x80 is BER's indefinite length; more than four length bytes is no key file.
                int count = first & 0x7F;
                if (count == 0 || count > 4 || start + count > der.length) {
                    return null;
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = length << 8 | (der[start + i] & 0xFF);
                }
                start += count;
            }
            long end = start + length;
            return end > der.length ? null : new int[] {start, (int) end};
        }

        private static String oidText(byte[] der, int start, int end) {
            if (start >= end) {
                return null;
            }
            StringBuilder text = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = start; i < end; i++) {
                if (value > (Long.MAX_VALUE >> 7)) {
                    return null;
                }
                value = value << 7 | (der[i] & 0x7F);
                if ((der[i] & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(value / 40, 2);
                        text.append(top).append('.').append(value - top * 40);
                        first = false;
                    } else {
                        text.append('.').append(value);
                    }
                    value = 0;
                }
            }
            return (der[end - 1] & 0x80) == 0 ? text.toString() : null;
        }
    }
}
