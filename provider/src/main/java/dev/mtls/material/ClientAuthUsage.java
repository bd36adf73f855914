package dev.mtls.material;

import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Rejects a leaf whose key usage or extended key usage forbids client authentication.
 *
 * <p>Servers enforce both (RFC 5280 4.2.1.3 and 4.2.1.12), so such a certificate is always
 * refused; a server certificate handed over by mistake is the common case. Absent extensions
 * allow everything.
 */
final class ClientAuthUsage {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final Map<String, String> PURPOSE_NAMES = Map.of(
            "1.3.6.1.5.5.7.3.1", "serverAuth",
            CLIENT_AUTH, "clientAuth",
            "1.3.6.1.5.5.7.3.3", "codeSigning",
            "1.3.6.1.5.5.7.3.4", "emailProtection",
            "1.3.6.1.5.5.7.3.8", "timeStamping",
            "1.3.6.1.5.5.7.3.9", "OCSPSigning",
            ANY_EXTENDED_KEY_USAGE, "anyExtendedKeyUsage");
    private static final int DIGITAL_SIGNATURE = 0;

    private ClientAuthUsage() {
    }

    static void check(Path file, X509Certificate leaf) throws MaterialException {
        boolean[] keyUsage = leaf.getKeyUsage();
        // The client proves possession by signing the handshake (CertificateVerify).
        if (keyUsage != null && (keyUsage.length <= DIGITAL_SIGNATURE || !keyUsage[DIGITAL_SIGNATURE])) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " cannot be used for client authentication: its key usage lacks digitalSignature");
        }
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " has an unreadable extended key usage", e);
        }
        if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new MaterialException(file + ": certificate " + Names.subject(leaf)
                    + " cannot be used for client authentication: its extended key usage is "
                    + purposes.stream().map(oid -> PURPOSE_NAMES.getOrDefault(oid, oid)).collect(Collectors.joining(", "))
                    + ", without clientAuth");
        }
    }
}
