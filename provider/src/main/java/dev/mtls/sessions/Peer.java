package dev.mtls.sessions;

import dev.mtls.log.Printable;
import dev.mtls.match.HostMatch;
import dev.mtls.match.IpLiterals;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * The host and port a client handshake is for, as the application named them. Found in this
 * order: the handshake session's peer host (what was passed to {@code createSocket} or
 * {@code createSSLEngine}), the SNI host name, the socket's remote address as a literal. Never a
 * reverse lookup ({@code getHostName()}): it is slow, and a spoofed PTR record must not choose
 * which certificate we present.
 *
 * <p>One exception to that order: when the peer host is an IP literal and SNI names a host, the
 * SNI name comes first. A driver that layers TLS over a socket it opened by address
 * ({@code createSocket(socket, "10.0.0.5", port, true)}) names the server only in SNI; SNI is never
 * an address, so both name the same endpoint and the name is what the operator wrote a profile
 * for. The address stays as the {@linkplain #address() second choice}, so a profile written for
 * the address still matches when no profile names the SNI host.
 */
public final class Peer {
    private final String host;
    private final int port;
    private final String address;

    private Peer(String host, int port) {
        this(host, port, null);
    }

    private Peer(String host, int port, String address) {
        this.host = host;
        this.port = port > 0 ? port : -1;
        this.address = address;
    }

    public String host() {
        return host;
    }

    /**
     * The same peer by the IP literal the application connected to, when {@link #host()} is the
     * SNI name that replaced it; null otherwise.
     */
    public Peer address() {
        return address == null ? null : new Peer(address, port);
    }

    /**
     * The profile {@code snapshot} routes this peer to, and the peer that matched: by its host, else
     * by the address the SNI name replaced (the second choice); null when neither names a profile.
     * The one routing order, for the routing managers and the session sweep alike.
     */
    public Match matchIn(ProfileSnapshot snapshot) {
        Optional<HostMatch<LoadedProfile>> match = snapshot.match(host, port);
        if (match.isPresent()) {
            return new Match(this, match.get());
        }
        Peer second = address();
        if (second == null) {
            return null;
        }
        match = snapshot.match(second.host, second.port);
        return match.isPresent() ? new Match(second, match.get()) : null;
    }

    /** The peer port, or -1 when unknown. */
    public int port() {
        return port;
    }

    /** The peer of a socket handshake, or null when no host can be found. */
    public static Peer of(Socket socket) {
        if (socket == null) {
            return null;
        }
        try {
            int port = socket.getPort();
            if (socket instanceof SSLSocket) {
                SSLSocket ssl = (SSLSocket) socket;
                SSLSession session = ssl.getHandshakeSession();
                if (session != null && isPresent(session.getPeerHost())) {
                    return preferringSni(session.getPeerHost(), session.getPeerPort() > 0 ? session.getPeerPort() : port,
                            ssl.getSSLParameters());
                }
                String sni = sniHost(ssl.getSSLParameters());
                if (sni != null) {
                    return new Peer(sni, port);
                }
            }
            SocketAddress remote = socket.getRemoteSocketAddress();
            if (remote instanceof InetSocketAddress) {
                // getHostString: the name the socket was given, or the address literal; never a lookup.
                String host = ((InetSocketAddress) remote).getHostString();
                return isPresent(host) ? new Peer(host, ((InetSocketAddress) remote).getPort()) : null;
            }
            return null;
        } catch (RuntimeException e) {
            // A closed or half-built socket: treat as "no peer", which leaves the handshake to the application.
            return null;
        }
    }

    /** The peer of an engine handshake, or null when no host can be found. */
    public static Peer of(SSLEngine engine) {
        if (engine == null) {
            return null;
        }
        try {
            if (isPresent(engine.getPeerHost())) {
                return preferringSni(engine.getPeerHost(), engine.getPeerPort(), engine.getSSLParameters());
            }
            String sni = sniHost(engine.getSSLParameters());
            return sni == null ? null : new Peer(sni, engine.getPeerPort());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The given host, or the SNI name first when the host is an IP literal (see the class comment). */
    private static Peer preferringSni(String host, int port, SSLParameters parameters) {
        if (IpLiterals.isIpLiteral(host)) {
            String sni = sniHost(parameters);
            if (sni != null) {
                return new Peer(sni, port, host);
            }
        }
        return new Peer(host, port);
    }

    /**
     * The peer a cached client session was made for, named as its handshake was routed: by the
     * SNI name it requested when its host is an IP literal. Null when the session names no host.
     */
    static Peer of(SSLSession session) {
        String host = session.getPeerHost();
        if (!isPresent(host)) {
            return null;
        }
        if (session instanceof ExtendedSSLSession && IpLiterals.isIpLiteral(host)) {
            String sni;
            try {
                sni = sniHost(((ExtendedSSLSession) session).getRequestedServerNames());
            } catch (RuntimeException cannotTell) {
                // Some providers' sessions do not keep the names: judged by the host alone.
                sni = null;
            }
            if (sni != null) {
                return new Peer(sni, session.getPeerPort(), host);
            }
        }
        return new Peer(host, session.getPeerPort());
    }

    private static String sniHost(SSLParameters parameters) {
        return parameters == null ? null : sniHost(parameters.getServerNames());
    }

    private static String sniHost(List<SNIServerName> names) {
        if (names == null) {
            return null;
        }
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName) {
                return ((SNIHostName) name).getAsciiName();
            }
        }
        return null;
    }

    private static boolean isPresent(String host) {
        return host != null && !host.isEmpty();
    }

    /** A peer and the profile pattern its host matched. */
    public static final class Match {
        private final Peer peer;
        private final HostMatch<LoadedProfile> match;

        private Match(Peer peer, HostMatch<LoadedProfile> match) {
            this.peer = peer;
            this.match = match;
        }

        /** This peer, or the address it replaced: whichever matched (a name check must use its host). */
        public Peer peer() {
            return peer;
        }

        public HostMatch<LoadedProfile> match() {
            return match;
        }

        public LoadedProfile profile() {
            return match.value();
        }
    }

    @Override
    public String toString() {
        // The host comes from the application (or the network, via SNI): escaped for the log.
        String printable = Printable.escape(host);
        return port < 0 ? printable : printable + ":" + port;
    }
}
