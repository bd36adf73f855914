package dev.mtls.profile;

import java.util.List;
import java.util.Objects;

/**
 * A profile's {@code tls} block as written (docs/PROFILES.md): the lowest protocol version and
 * the cipher suites a handshake to its hosts may negotiate. A handshake that negotiated less
 * fails closed, naming what was negotiated and what the profile requires.
 */
public final class TlsSpec {
    private final String minVersion;
    private final List<String> cipherSuites;

    /**
     * @param minVersion a JSSE protocol name ({@code TLSv1.2}, {@code TLSv1.3}), or null for no minimum
     * @param cipherSuites JSSE (IANA) suite names; empty for any
     */
    public TlsSpec(String minVersion, List<String> cipherSuites) {
        this.minVersion = minVersion;
        this.cipherSuites = List.copyOf(cipherSuites);
    }

    /** The lowest protocol version allowed, or null for any. */
    public String minVersion() {
        return minVersion;
    }

    /** The suites allowed; empty for any. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof TlsSpec)) {
            return false;
        }
        TlsSpec that = (TlsSpec) other;
        return Objects.equals(minVersion, that.minVersion) && cipherSuites.equals(that.cipherSuites);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minVersion, cipherSuites);
    }

    @Override
    public String toString() {
        return (minVersion == null ? "" : "minVersion " + minVersion)
                + (cipherSuites.isEmpty() ? "" : (minVersion == null ? "" : ", ") + "cipherSuites " + cipherSuites);
    }
}
