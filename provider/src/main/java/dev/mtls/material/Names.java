package dev.mtls.material;

import dev.mtls.log.Printable;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;

/**
 * How certificate names are written wherever they are shown (check, which, probe, the log, JMX,
 * handshake failures): RFC 2253, "CN=bot-client,O=acme", the form a listener's {@code allow.subject}
 * entries are written in, so an operator can copy a name from the output into the file. Escaped,
 * since a name comes from a file or a server and may hold control characters.
 */
public final class Names {
    private Names() {
    }

    public static String of(X500Principal name) {
        return Printable.escape(name.getName(X500Principal.RFC2253));
    }

    public static String subject(X509Certificate certificate) {
        return of(certificate.getSubjectX500Principal());
    }

    public static String issuer(X509Certificate certificate) {
        return of(certificate.getIssuerX500Principal());
    }
}
