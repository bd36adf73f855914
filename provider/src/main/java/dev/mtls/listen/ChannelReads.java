package dev.mtls.listen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;

/**
 * The local port of an {@link SSLEngine} server's connection, which the engine itself does not
 * know: the agent's hook at the start of {@code SocketChannelImpl#read(ByteBuffer)} leaves the
 * channel in a thread-local, and an engine server (HttpsServer, Netty and Tomcat on the JDK
 * engine) reads from the channel and hands the bytes to {@code unwrap} on the same thread, which
 * is where SunJSSE starts the server handshake.
 *
 * <p>A thread that serves many connections may read one and start another's handshake. When the
 * server gave the engine its peer (HttpsServer does), a channel whose peer differs is not used:
 * the port is then unknown. The thread-local keeps the last channel read on each thread (a closed
 * channel is a small object; no buffer is held).
 */
public final class ChannelReads {
    private static final ThreadLocal<SocketChannel> LAST = new ThreadLocal<>();

    private ChannelReads() {
    }

    /** Called by the hook for every read of a socket channel: one thread-local write. */
    public static void reading(Object channel) {
        if (channel instanceof SocketChannel) {
            LAST.set((SocketChannel) channel);
        }
    }

    /** The local port of the channel this thread last read, if it may be this engine's; else -1. */
    static int localPort(SSLEngine engine) {
        SocketChannel channel = channelOf(engine);
        try {
            return channel == null ? -1 : port(channel.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The client's address as a literal, from the channel when it may be this engine's, else
     * what the server told the engine (HttpsServer gives a host name it looked up itself).
     */
    static String clientAddress(SSLEngine engine) {
        SocketChannel channel = channelOf(engine);
        try {
            SocketAddress remote = channel == null ? null : channel.getRemoteAddress();
            if (remote instanceof InetSocketAddress && ((InetSocketAddress) remote).getAddress() != null) {
                return ((InetSocketAddress) remote).getAddress().getHostAddress();
            }
        } catch (IOException | RuntimeException e) {
            // Closed: fall back to the engine's own idea of its peer.
        }
        String host = engine.getPeerHost();
        return host == null ? "unknown" : host;
    }

    private static SocketChannel channelOf(SSLEngine engine) {
        SocketChannel channel = LAST.get();
        if (channel == null) {
            return null;
        }
        try {
            int peerPort = engine.getPeerPort();
            return peerPort > 0 && port(channel.getRemoteAddress()) != peerPort ? null : channel;
        } catch (IOException | RuntimeException e) {
            // Closed, or not a channel we can ask: unknown.
            return null;
        }
    }

    private static int port(SocketAddress address) {
        return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getPort() : -1;
    }
}
