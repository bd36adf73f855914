package dev.mtls.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * Full TLS handshakes between a client and a server {@link SSLEngine} in memory, on one thread, no
 * sockets: the handshake's own cost without the loopback network and the scheduler. Every
 * handshake is a full one (a new engine pair, the client session invalidated afterwards). Uses
 * nothing but the JDK, so that it can run in a child JVM whose only agent classes are the agent's.
 */
public final class InMemoryHandshakes {
    private final SSLContext client;
    private final SSLContext server;
    private final boolean needClientAuth;
    private final int peerPort;
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    private final ByteBuffer clientToServer;
    private final ByteBuffer serverToClient;
    private final ByteBuffer sink;

    /** {@code needClientAuth}: whether the server engine asks for a client certificate itself. */
    public InMemoryHandshakes(SSLContext client, SSLContext server, boolean needClientAuth) {
        this(client, server, needClientAuth, 443);
    }

    /** {@code peerPort}: the port the client engine names, so that profiles for {@code localhost:PORT} can tell variants apart. */
    public InMemoryHandshakes(SSLContext client, SSLContext server, boolean needClientAuth, int peerPort) {
        this.peerPort = peerPort;
        this.client = client;
        this.server = server;
        this.needClientAuth = needClientAuth;
        int packet = client.createSSLEngine().getSession().getPacketBufferSize() * 4;
        clientToServer = ByteBuffer.allocate(packet);
        serverToClient = ByteBuffer.allocate(packet);
        sink = ByteBuffer.allocate(client.createSSLEngine().getSession().getApplicationBufferSize() * 4);
    }

    /** Handshakes for about {@code seconds}: {rate per second, thread CPU µs per handshake}. */
    public double[] run(double seconds) throws SSLException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int count = 0;
        long now;
        do {
            handshake();
            count++;
            now = System.nanoTime();
        } while (now < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        return new double[] {count / ((now - start) / 1e9), cpu / 1e3 / count};
    }

    /** One full handshake; returns the server's session (the client's is invalidated so none is resumed). */
    public SSLSession handshake() throws SSLException {
        SSLEngine clientEngine = client.createSSLEngine("localhost", peerPort);
        clientEngine.setUseClientMode(true);
        SSLEngine serverEngine = server.createSSLEngine();
        serverEngine.setUseClientMode(false);
        if (needClientAuth) {
            serverEngine.setNeedClientAuth(true);
        }
        clientToServer.clear();
        serverToClient.clear();
        clientEngine.beginHandshake();
        serverEngine.beginHandshake();
        for (int step = 0; step < 1_000; step++) {
            boolean clientBusy = advance(clientEngine, serverToClient, clientToServer);
            boolean serverBusy = advance(serverEngine, clientToServer, serverToClient);
            if (!clientBusy && !serverBusy) {
                clientEngine.getSession().invalidate();
                return serverEngine.getSession();
            }
        }
        throw new IllegalStateException("the handshake did not finish");
    }

    /** Moves one engine's handshake on; false once it has nothing left to do. */
    private boolean advance(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        switch (status) {
            case NEED_WRAP:
                engine.wrap(empty, out);
                return true;
            case NEED_UNWRAP:
            case NEED_UNWRAP_AGAIN:
                in.flip();
                SSLEngineResult result = engine.unwrap(in, sink);
                in.compact();
                sink.clear();
                return result.bytesConsumed() > 0 || result.getHandshakeStatus() != status;
            case NEED_TASK:
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
                return true;
            default:
                return false;
        }
    }
}
