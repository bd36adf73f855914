package dev.mtls.jsse;

import dev.mtls.log.MtlsLog;
import dev.mtls.material.Names;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.TlsSpec;
import dev.mtls.profile.TrustSpec;
import dev.mtls.revocation.RevocationCheck;
import dev.mtls.revocation.RevocationRefusal;
import dev.mtls.revocation.Status;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/**
 * The checks of a profile's upstream policy beyond the chain (docs/POLICY.md), made after the
 * chain and the host name were validated: the negotiated TLS parameters ({@code tls}), the server
 * names and the pins, then revocation. The cheap checks go first so that a wrong server is refused
 * before a responder is asked about it. Each failure is a {@link CertificateException}
 * "mtls-agent: profile 'x': check: problem", which SunJSSE turns into the handshake's exception
 * and alert, and is logged once per profile, check and host.
 */
final class UpstreamChecks {
    private static final String REVOCATION = "revocation";

    private UpstreamChecks() {
    }

    /**
     * @param socket the client socket, or null for an engine handshake
     * @param application the application's trust manager: its CAs are asked for (a copy of up to
     *     ~150 certificates for the JDK's default) only when a check needs the anchors and they count
     * @param report where each check's result goes, or null to have one made when a check runs
     * @return {@code report}, or the one made; null when no check ran and none was given
     */
    static PolicyReport afterChain(ProfileRoute route, X509Certificate[] chain, Socket socket, SSLEngine engine,
            X509TrustManager application, PolicyReport report) throws CertificateException {
        TrustSpec spec = route.profile().definition().trust();
        TlsSpec tls = route.profile().definition().tls();
        boolean trustChecks = spec != null
                && (spec.revocation() != null || !spec.serverNames().isEmpty() || !spec.pins().isEmpty());
        if (!trustChecks && !TlsParameterPolicy.hasChecks(tls)) {
            return report;
        }
        if (report == null) {
            // Made only here, so that handshakes without checks allocate nothing for it.
            report = new PolicyReport();
        }
        SSLSession session = handshakeSession(socket, engine);
        String profile = route.profile().name();
        TrustAnchors anchors = route.profile().trust().orElse(null);
        // The check under way, for the message when it refuses the server.
        String check = "trust";
        try {
            if (tls != null && tls.minVersion() != null) {
                check = TlsParameterPolicy.MIN_VERSION;
                report.passed(check, TlsParameterPolicy.checkVersion(tls.minVersion(), session, profile));
            }
            if (tls != null && !tls.cipherSuites().isEmpty()) {
                check = TlsParameterPolicy.CIPHER_SUITES;
                report.passed(check, TlsParameterPolicy.checkSuite(tls.cipherSuites(), session, profile));
            }
            if (!trustChecks || anchors == null) {
                // No trust checks; or a trust section that did not load, which ProfileUsability refused already.
                return report;
            }
            if (chain == null || chain.length == 0) {
                check = "trust";
                throw new PolicyViolation("the server sent no certificate");
            }
            if (!spec.serverNames().isEmpty()) {
                check = ServerNamePolicy.CHECK;
                report.passed(check, ServerNamePolicy.check(spec.serverNames(), chain[0]));
            }
            if (!spec.pins().isEmpty()) {
                check = PinPolicy.CHECK;
                report.passed(check, PinPolicy.check(spec.pins(), chain, issuers(anchors, application)));
            }
        } catch (PolicyViolation e) {
            throw refused(route, check, e.getMessage(), report);
        }
        if (spec.revocation() != null) {
            revocation(route, spec, anchors, chain, issuers(anchors, application), session, report);
        }
        return report;
    }

    private static void revocation(ProfileRoute route, TrustSpec spec, TrustAnchors anchors, X509Certificate[] chain,
            List<X509Certificate> issuers, SSLSession session, PolicyReport report) throws CertificateException {
        List<Status> statuses;
        try {
            statuses = RevocationCheck.check("profile '" + route.profile().name() + "'", spec.revocation(),
                    anchors.revocationLists(), chain, issuers, stapledResponses(session), Instant.now());
        } catch (RevocationRefusal e) {
            report.failed(REVOCATION, e.problem());
            logOnce(route, REVOCATION, e.getMessage());
            throw e;
        }
        for (int i = 0; i < statuses.size(); i++) {
            report.passed(REVOCATION, Names.subject(chain[i]) + ": " + statuses.get(i));
        }
    }

    /** Where the anchor of a chain is found: the profile's CAs, plus the application's when they decide or count too. */
    private static List<X509Certificate> issuers(TrustAnchors anchors, X509TrustManager application) {
        if (anchors.isApplicationTrust()) {
            return Arrays.asList(application.getAcceptedIssuers());
        }
        if (!anchors.includeDefault()) {
            return anchors.certificates();
        }
        List<X509Certificate> all = new ArrayList<>(anchors.certificates());
        all.addAll(Arrays.asList(application.getAcceptedIssuers()));
        return all;
    }

    private static CertificateException refused(ProfileRoute route, String check, String problem,
            PolicyReport report) {
        report.failed(check, problem);
        String message = route.prefix() + ": " + check + ": " + problem;
        logOnce(route, check, message);
        return new CertificateException(message);
    }

    private static void logOnce(ProfileRoute route, String check, String message) {
        String prefix = "mtls-agent: ";
        MtlsLog.once("policy\n" + route.profile().name() + '\n' + check + '\n' + route.peer().host(), Level.WARNING,
                message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    static SSLSession handshakeSession(Socket socket, SSLEngine engine) {
        if (engine != null) {
            return engine.getHandshakeSession();
        }
        return socket instanceof SSLSocket ? ((SSLSocket) socket).getHandshakeSession() : null;
    }

    /** The OCSP responses the peer stapled to its certificates, first for the leaf; empty when none. */
    static List<byte[]> stapledResponses(SSLSession session) {
        if (session instanceof ExtendedSSLSession) {
            try {
                return ((ExtendedSSLSession) session).getStatusResponses();
            } catch (UnsupportedOperationException e) {
                return List.of();
            }
        }
        return List.of();
    }
}
