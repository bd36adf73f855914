package dev.mtls.material;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * Rejects a leaf whose key usage or extended key usage forbids the side of TLS it is loaded for:
 * client authentication for a profile's identity, a TLS server for a listener's.
 *
 * <p>Peers enforce both (RFC 5280 4.2.1.3 and 4.2.1.12), so such a certificate is always
 * refused; a server certificate handed over by mistake (or a client one) is the common case.
 * Absent extensions allow everything.
 */
final class KeyPurposeCheck {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final Map<String, String> PURPOSE_NAMES = Map.of(
            SERVER_AUTH, "serverAuth",
            CLIENT_AUTH, "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection",
            "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            ANY_EXTENDED_KEY_USAGE, "anyExtendedKeyUsage");
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;

    private KeyPurposeCheck() {
    }

    /** The client proves possession by signing the handshake (CertificateVerify). */
    static void client(Object file, X509Certificate leaf) throws MaterialException {
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && !bit(keyUsage, DIGITAL_SIGNATURE)) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " cannot be used for client authentication: its key usage lacks digitalSignature");
        }
        extendedKeyUsage(file, leaf, CLIENT_AUTH, "client authentication", "clientAuth");
    }

    /**
     * A server signs the handshake (every TLS 1.3 and ECDHE suite) or, with TLS 1.2 RSA key
     * exchange, decrypts the premaster secret: either bit is enough, as the JDK's own check has it.
     */
    static void server(Object file, X509Certificate leaf) throws MaterialException {
        boolean[] keyUsage = leaf.getKeyUsage();
        if (keyUsage != null && !bit(keyUsage, DIGITAL_SIGNATURE) && !bit(keyUsage, KEY_ENCIPHERMENT)) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " cannot be used for a TLS server: its key usage lacks digitalSignature and keyEncipherment");
        }
        extendedKeyUsage(file, leaf, SERVER_AUTH, "a TLS server", "serverAuth");
    }

    private static boolean bit(boolean[] keyUsage, int index) {
        return keyUsage.length > index && keyUsage[index];
    }

    private static void extendedKeyUsage(Object file, X509Certificate leaf, String needed, String use, String neededName)
            throws MaterialException {
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " has an unreadable extended key usage", e);
        }
        if (purposes != null && !purposes.contains(needed) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            StringBuilder names = new StringBuilder();
            for (String oid : purposes) {
                names.append(names.length() == 0 ? "" : ", ").append(PURPOSE_NAMES.getOrDefault(oid, oid));
            }
            throw new MaterialException(file + ": certificate " + Names.subject(leaf) + " cannot be used for " + use
                    + ": its extended key usage is " + names + ", without " + neededName);
        }
    }
}
