package dev.mtls.material;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The loaded trust of a profile or listener: the CAs its peers must chain to and whether the JVM's
 * default CAs count too, or none ({@link #isApplicationTrust()}: the application's trust decides
 * the chain); and the CRLs its revocation check reads (the other checks' settings are the
 * definition's {@code TrustSpec}).
 */
public final class TrustAnchors {
    private final List<X509Certificate> certificates;
    private final boolean includeDefault;
    private final boolean applicationTrust;
    private final List<RevocationList> revocationLists;

    public TrustAnchors(List<X509Certificate> certificates, boolean includeDefault) {
        this(certificates, includeDefault, false, List.of());
    }

    private TrustAnchors(List<X509Certificate> certificates, boolean includeDefault, boolean applicationTrust,
            List<RevocationList> revocationLists) {
        this.certificates = List.copyOf(certificates);
        this.includeDefault = includeDefault;
        this.applicationTrust = applicationTrust;
        this.revocationLists = List.copyOf(revocationLists);
    }

    /** No CAs of its own: the application's trust decides the chain, then the other checks apply. */
    public static TrustAnchors applicationTrust() {
        return new TrustAnchors(List.of(), false, true, List.of());
    }

    /** The same trust with these CRLs loaded for its revocation check. */
    public TrustAnchors withRevocationLists(List<RevocationList> lists) {
        return new TrustAnchors(certificates, includeDefault, applicationTrust, lists);
    }

    /** The CAs; empty for {@link #isApplicationTrust() the application's trust}. */
    public List<X509Certificate> certificates() {
        return certificates;
    }

    public boolean includeDefault() {
        return includeDefault;
    }

    public boolean isApplicationTrust() {
        return applicationTrust;
    }

    /** The CRLs loaded from {@code trust.revocation.crl}, in the order written; empty for none. */
    public List<RevocationList> revocationLists() {
        return revocationLists;
    }
}
