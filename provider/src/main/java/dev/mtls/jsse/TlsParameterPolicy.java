package dev.mtls.jsse;

import dev.mtls.profile.TlsSpec;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * A profile's {@code tls} block against what the handshake negotiated: the protocol version at
 * least {@code minVersion}, the cipher suite one of {@code cipherSuites}. Checked in the trust
 * manager, which sees the handshake session before the client sends its certificate or its
 * Finished, so a refused handshake carries no client identity and no application data.
 */
final class TlsParameterPolicy {
    static final String MIN_VERSION = "tls.minVersion";
    static final String CIPHER_SUITES = "tls.cipherSuites";
    /** Oldest first; a name not listed (a DTLS session, a future version) is refused rather than guessed at. */
    private static final List<String> VERSIONS = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    private TlsParameterPolicy() {
    }

    /** @return the negotiated version as the report shows it */
    static String checkVersion(String minVersion, SSLSession session, String profile) throws PolicyViolation {
        String negotiated = session == null ? null : session.getProtocol();
        if (negotiated == null) {
            throw new PolicyViolation("the negotiated protocol cannot be read, profile '" + profile + "' requires "
                    + minVersion + " or later");
        }
        int required = VERSIONS.indexOf(minVersion);
        int rank = VERSIONS.indexOf(negotiated);
        if (required < 0 || rank < required) {
            throw new PolicyViolation("negotiated " + negotiated + ", profile '" + profile + "' requires " + minVersion
                    + " or later");
        }
        return "negotiated " + negotiated + " (" + minVersion + " or later required)";
    }

    /** @return the negotiated suite as the report shows it */
    static String checkSuite(List<String> allowed, SSLSession session, String profile) throws PolicyViolation {
        String negotiated = session == null ? null : session.getCipherSuite();
        if (negotiated != null) {
            for (String suite : allowed) {
                if (suite.equalsIgnoreCase(negotiated)) {
                    return "negotiated " + negotiated + " (one of the " + allowed.size() + " allowed)";
                }
            }
        }
        throw new PolicyViolation("negotiated " + (negotiated == null ? "an unknown suite" : negotiated)
                + ", profile '" + profile + "' requires one of " + allowed);
    }

    static boolean hasChecks(TlsSpec spec) {
        return spec != null && (spec.minVersion() != null || !spec.cipherSuites().isEmpty());
    }
}
