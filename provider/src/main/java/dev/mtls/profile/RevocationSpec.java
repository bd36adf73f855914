package dev.mtls.profile;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@code trust.revocation} block as written (docs/PROFILES.md): the CRL files (paths already
 * resolved), whether to ask an OCSP responder (the one in the certificate's AIA, or
 * {@code ocspResponder}, which replaces it with no fallback), what an undecided status does, and
 * which certificates are checked. With both sources, a CRL that covers the certificate decides,
 * else OCSP; a CRL past its nextUpdate, an OCSP answer of "unknown" and an unreachable responder
 * are all "unknown" and go to {@link #onUnknown()}.
 */
public final class RevocationSpec {
    /** What an undecided revocation status does to the handshake. */
    public enum OnUnknown {
        /** Refuse (the default): a mandatory check never silently weakens. */
        FAIL,
        /** Let the handshake through, with a warning once per profile or listener and certificate. */
        ALLOW
    }

    /** Which certificates are checked. */
    public enum Scope {
        /** The peer's own certificate (the default). */
        LEAF,
        /** Every certificate below the trust anchor. */
        CHAIN
    }

    private final List<Path> crls;
    private final boolean ocsp;
    private final URI ocspResponder;
    private final OnUnknown onUnknown;
    private final Scope scope;

    /**
     * @param crls the CRL files, PEM or DER; empty for none
     * @param ocsp whether to ask an OCSP responder (true whenever {@code ocspResponder} is set)
     * @param ocspResponder null for the certificate's AIA address
     */
    public RevocationSpec(List<Path> crls, boolean ocsp, URI ocspResponder, OnUnknown onUnknown, Scope scope) {
        this.crls = List.copyOf(crls);
        this.ocsp = ocsp || ocspResponder != null;
        this.ocspResponder = ocspResponder;
        this.onUnknown = Objects.requireNonNull(onUnknown, "onUnknown");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    public List<Path> crls() {
        return crls;
    }

    public boolean ocsp() {
        return ocsp;
    }

    /** The responder that replaces the certificates' AIA address, or null. */
    public URI ocspResponder() {
        return ocspResponder;
    }

    public OnUnknown onUnknown() {
        return onUnknown;
    }

    public Scope scope() {
        return scope;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RevocationSpec)) {
            return false;
        }
        RevocationSpec that = (RevocationSpec) other;
        return ocsp == that.ocsp && crls.equals(that.crls) && Objects.equals(ocspResponder, that.ocspResponder)
                && onUnknown == that.onUnknown && scope == that.scope;
    }

    @Override
    public int hashCode() {
        return Objects.hash(crls, ocsp, ocspResponder, onUnknown, scope);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (!crls.isEmpty()) {
            text.append("CRL ").append(crls);
        }
        if (ocsp) {
            text.append(text.length() == 0 ? "" : ", ").append("OCSP")
                    .append(ocspResponder == null ? " (AIA)" : " " + ocspResponder);
        }
        return text.append(", on unknown ").append(onUnknown.name().toLowerCase(java.util.Locale.ROOT))
                .append(scope == Scope.CHAIN ? ", whole chain" : "").toString();
    }
}
