package dev.mtls.agent.cli;

import dev.mtls.jsse.PolicyReport;
import dev.mtls.jsse.ProfileTrustManagers;
import dev.mtls.jsse.MtlsProvider;
import dev.mtls.jsse.RoutingKeyManager;
import dev.mtls.jsse.RoutingTrustManager;
import dev.mtls.log.Printable;
import dev.mtls.match.HostMatch;
import dev.mtls.material.Names;
import dev.mtls.material.Validity;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileUsability;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * {@code probe FILE HOST[:PORT]}: one real handshake with the host, made the way the agent makes
 * it (the same routing key and trust managers over the loaded profiles, this JVM's default trust
 * where the profile has none), and what happened: protocol, cipher, the server's chain and
 * whether it is trusted, whether the server asked for a certificate and from which issuers,
 * whether ours was sent, and whether the server accepted it. TLS 1.3 servers reject a client
 * certificate after the handshake, so the probe then waits {@link #VERDICT_WAIT_MILLIS} for an
 * alert before it calls the certificate accepted. Exit 0 when the handshake completed and the
 * server did not reject it, 1 otherwise.
 */
final class ProbeCommand {
    static final int DEFAULT_PORT = 443;
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    static final int VERDICT_WAIT_MILLIS = 2_000;

    private final PrintStream out;
    private final PrintStream err;

    ProbeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(CommandArguments arguments) throws CommandArguments.UsageException {
        HostAndPort target = HostAndPort.parse(arguments.positional(1)).orPort(DEFAULT_PORT);
        String host = target.host();
        int port = target.port();
        LoadResult result = arguments.loadForLookup(err);
        if (result == null) {
            return MtlsCommandLine.PROBLEM;
        }
        ProfileSnapshot snapshot = result.snapshot();
        Optional<HostMatch<LoadedProfile>> match = snapshot.match(host, port);
        String where = target.toString();
        out.println("probe " + where + (match.isPresent()
                ? " with profile '" + match.get().value().name() + "' (pattern " + match.get().pattern() + ")"
                : ": no profile matches; probing as the application would without the agent"));

        // As under the agent: the provider's signature services are what sign with a key kept in a PKCS#11 token.
        MtlsProvider.install();
        RecordingKeyManager keys = new RecordingKeyManager(new RoutingKeyManager(null, () -> snapshot));
        RecordingTrustManager trust;
        SSLContext context;
        try {
            trust = new RecordingTrustManager(new RoutingTrustManager(ProfileTrustManagers.jvmDefault(), () -> snapshot));
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, new TrustManager[] {trust}, null);
        } catch (GeneralSecurityException e) {
            err.println("error: cannot set up TLS in this JVM: " + e);
            return MtlsCommandLine.PROBLEM;
        }
        // Decided now, the way the handshake will decide it: a failure the profile causes is never the server's.
        String profileFailure = match.isPresent()
                ? ProfileUsability.handshakeFailure(match.get().value(), Instant.now()) : null;
        return probe(context, host, port, where, match, profileFailure, keys, trust);
    }

    private int probe(SSLContext context, String host, int port, String where,
            Optional<HostMatch<LoadedProfile>> match, String profileFailure, RecordingKeyManager keys,
            RecordingTrustManager trust) {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            closeQuietly(plain);
            err.println("error: cannot connect to " + where + ": " + e);
            return MtlsCommandLine.PROBLEM;
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            socket.setSoTimeout(CONNECT_TIMEOUT_MILLIS);
            try {
                socket.startHandshake();
            } catch (SSLException e) {
                if (profileFailure != null && profileFailure.equals(trust.failure)) {
                    printProfileFailure(trust, profileFailure);
                    return MtlsCommandLine.PROBLEM;
                }
                printServer(trust, null, match);
                printClientCertificate(keys, match);
                if (trust.failure != null && !trust.policy.lines().isEmpty()) {
                    row("handshake", "FAILED: refused by profile '" + match.get().value().name() + "' (above)");
                } else if (trust.failure != null) {
                    row("handshake", "FAILED: the server is not trusted (above)");
                } else {
                    row("handshake", "FAILED: " + e.getMessage() + (keys.asked
                            ? " (after the server asked for a certificate: most likely it refused the one sent, or"
                            + " that none was)" : ""));
                }
                return MtlsCommandLine.PROBLEM;
            }
            printServer(trust, socket.getSession(), match);
            printClientCertificate(keys, match);
            return printVerdict(socket);
        } catch (IOException e) {
            err.println("error: " + where + ": " + e);
            return MtlsCommandLine.PROBLEM;
        }
    }

    /**
     * The handshake failed on the profile, before the server's chain was judged: say so, and what
     * to fix, rather than calling the server untrusted.
     */
    private void printProfileFailure(RecordingTrustManager trust, String profileFailure) {
        X509Certificate[] chain = trust.serverChain;
        if (chain != null) {
            for (int i = 0; i < chain.length; i++) {
                row(i == 0 ? "server chain" : "", (i + 1) + ". " + describe(chain[i]));
            }
        }
        row("server trusted", "not checked: the profile cannot be used (below)");
        row("handshake", "FAILED because of the profile, not the server: " + profileFailure);
        row("", "(fix the profile and run 'check' on the file; the agent fails these handshakes the same way)");
    }

    private void printServer(RecordingTrustManager trust, SSLSession session,
            Optional<HostMatch<LoadedProfile>> match) {
        if (session != null) {
            row("protocol", session.getProtocol());
            row("cipher", session.getCipherSuite());
        }
        X509Certificate[] chain = trust.serverChain;
        if (chain == null) {
            row("server chain", "(not received)");
            return;
        }
        for (int i = 0; i < chain.length; i++) {
            row(i == 0 ? "server chain" : "", (i + 1) + ". " + describe(chain[i]));
        }
        String by = trustedBy(match);
        List<PolicyReport.Line> policy = trust.policy.lines();
        // The policy checks run only after the chain and the host name passed.
        boolean chainTrusted = trust.failure == null || !policy.isEmpty();
        row("server trusted", chainTrusted ? "yes, by " + by : "NO, by " + by + ": " + trust.failure);
        for (PolicyReport.Line line : policy) {
            row(line.check(), line.passed() ? line.result() : "FAILED: " + line.result());
        }
        if (!chainTrusted && by.startsWith("this JVM")) {
            row("", "(the application's trust store, if it has its own: java -Djavax.net.ssl.trustStore=FILE"
                    + " -Djavax.net.ssl.trustStorePassword=... -jar mtls-agent.jar probe ...)");
        }
    }

    private static String trustedBy(Optional<HostMatch<LoadedProfile>> match) {
        if (match.isEmpty() || match.get().value().trust().isEmpty()
                || match.get().value().trust().get().isApplicationTrust()) {
            return "this JVM's default trust store";
        }
        return match.get().value().trust().get().includeDefault()
                ? "the profile's CAs and this JVM's default trust store" : "the profile's CAs";
    }

    private void printClientCertificate(RecordingKeyManager keys, Optional<HostMatch<LoadedProfile>> match) {
        if (!keys.asked) {
            row("cert requested", "no (or the handshake ended before the server asked)");
            return;
        }
        row("cert requested", "yes");
        Principal[] issuers = keys.issuers;
        if (issuers == null || issuers.length == 0) {
            row("issuers accepted", "any (the server named none)");
        } else {
            for (int i = 0; i < issuers.length; i++) {
                row(i == 0 ? "issuers accepted" : "", issuers[i] instanceof X500Principal
                        ? Names.of((X500Principal) issuers[i]) : issuers[i].getName());
            }
        }
        if (keys.sent != null && keys.sent.length > 0) {
            row("cert sent", describe(keys.sent[0]) + (match.isPresent()
                    ? ", from profile '" + match.get().value().name() + "'" : ""));
        } else {
            row("cert sent", "none (" + whyNone(match) + ")");
        }
    }

    private static String whyNone(Optional<HostMatch<LoadedProfile>> match) {
        if (match.isEmpty()) {
            return "no profile matches this host";
        }
        LoadedProfile profile = match.get().value();
        if (profile.definition().keepsApplicationIdentity()) {
            return "profile '" + profile.name() + "' has no identity";
        }
        String problem = ProfileUsability.identityProblem(profile, Instant.now());
        if (problem != null) {
            return "profile '" + profile.name() + "' (" + profile.mode()
                    + ") has no usable client certificate: " + problem;
        }
        return "the profile's key type is not one the server accepts";
    }

    /**
     * A TLS 1.3 server checks the client's certificate after the handshake: a rejection is an
     * alert on the first read. Silence, data, or a clean close within the wait mean it accepted.
     */
    private int printVerdict(SSLSocket socket) throws IOException {
        socket.setSoTimeout(VERDICT_WAIT_MILLIS);
        InputStream in = socket.getInputStream();
        try {
            int first = in.read();
            row("server accepted", first < 0 ? "yes (it closed the connection without an alert)"
                    : "yes (it sent data)");
        } catch (SocketTimeoutException e) {
            row("server accepted", "yes (no alert within " + VERDICT_WAIT_MILLIS / 1000 + " s)");
        } catch (SSLException e) {
            row("server accepted", "NO: " + e.getMessage());
            return MtlsCommandLine.PROBLEM;
        }
        return MtlsCommandLine.OK;
    }

    /** Values come from the server too (its chain's names, its alert): escaped, one row stays one line. */
    private void row(String name, String value) {
        out.printf("  %-17s %s%n", name, Printable.escape(value));
    }

    private static String describe(X509Certificate certificate) {
        return Names.subject(certificate) + " (issuer " + Names.issuer(certificate) + ", "
                + Validity.of(certificate, Instant.now(), Validity.DEFAULT_WARNING).text() + ")";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing was sent on it.
        }
    }
}
