package dev.mtls.material;

import java.security.cert.X509Certificate;
import java.util.List;

/** The CAs a profile's backends must chain to, and whether the JVM's default CAs count too. */
public final class TrustAnchors {
    private final List<X509Certificate> certificates;
    private final boolean includeDefault;

    public TrustAnchors(List<X509Certificate> certificates, boolean includeDefault) {
        this.certificates = List.copyOf(certificates);
        this.includeDefault = includeDefault;
    }

    public List<X509Certificate> certificates() {
        return certificates;
    }

    public boolean includeDefault() {
        return includeDefault;
    }
}
