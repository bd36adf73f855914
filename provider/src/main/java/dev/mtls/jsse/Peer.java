package dev.mtls.jsse;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
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
 */
final class Peer {
    private final String host;
    private final int port;

    private Peer(String host, int port) {
        this.host = host;
        this.port = port > 0 ? port : -1;
    }

    String host() {
        return host;
    }

    /** The peer port, or -1 when unknown. */
    int port() {
        return port;
    }

    /** The peer of a socket handshake, or null when no host can be found. */
    static Peer of(Socket socket) {
        if (socket == null) {
            return null;
        }
        try {
            int port = socket.getPort();
            if (socket instanceof SSLSocket) {
                SSLSocket ssl = (SSLSocket) socket;
                SSLSession session = ssl.getHandshakeSession();
                if (session != null && isPresent(session.getPeerHost())) {
                    return new Peer(session.getPeerHost(), session.getPeerPort() > 0 ? session.getPeerPort() : port);
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
    static Peer of(SSLEngine engine) {
        if (engine == null) {
            return null;
        }
        try {
            if (isPresent(engine.getPeerHost())) {
                return new Peer(engine.getPeerHost(), engine.getPeerPort());
            }
            String sni = sniHost(engine.getSSLParameters());
            return sni == null ? null : new Peer(sni, engine.getPeerPort());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String sniHost(SSLParameters parameters) {
        List<SNIServerName> names = parameters == null ? null : parameters.getServerNames();
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

    @Override
    public String toString() {
        return port < 0 ? host : host + ":" + port;
    }
}
