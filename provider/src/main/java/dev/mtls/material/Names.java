package dev.mtls.material;

import java.security.cert.X509Certificate;

/** How certificates are named in messages: the subject as operators read it, "CN=client, O=Acme". */
final class Names {
    private Names() {
    }

    static String of(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().toString();
    }

    static String issuer(X509Certificate certificate) {
        return certificate.getIssuerX500Principal().toString();
    }
}
