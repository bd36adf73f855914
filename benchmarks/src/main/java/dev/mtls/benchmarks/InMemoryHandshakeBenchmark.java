package dev.mtls.benchmarks;

import dev.mtls.jsse.ActiveProfiles;
import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.profile.LoadResult;
import dev.mtls.profile.ProfileLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full mutual-TLS handshakes between two {@link SSLEngine}s in memory, one thread, no sockets:
 * the handshake's own cost without the loopback network and the scheduler, which on a shared
 * two-core machine spread the socket benchmark ({@code HandshakeBenchmark}) by several per cent.
 * {@code baseline}: the client's key and chain given by the application (a KeyManagerFactory over
 * a PKCS12 key store), trust from a TrustManagerFactory. {@code agent}: the same trust managers
 * and no key managers, wrapped as the agent's {@code SSLContext#init} hook wraps them, with the
 * profile loaded from a PEM profile file into {@link ActiveProfiles}. Every handshake is a full
 * one (the client session is invalidated), TLS 1.3, EC P-256; the setup checks that the server
 * received the client certificate in both variants. The agent/baseline ratio of the two scores is
 * what the agent costs a handshake.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(2)
@State(Scope.Thread)
public class InMemoryHandshakeBenchmark {
    private static final String PASSWORD = "changeit";

    @Param({"baseline", "agent"})
    String variant;

    private SSLContext client;
    private SSLContext server;
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    private ByteBuffer clientToServer;
    private ByteBuffer serverToClient;
    private ByteBuffer sink;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("mtls-in-memory");
        BenchmarkPki pki = BenchmarkPki.create("In-memory CA");
        BenchmarkPki.Issued clientIdentity = pki.client("in-memory-client");
        BenchmarkPki.Issued serverIdentity = pki.server("localhost");
        TrustManager[] trust = trustManagers(pki.certificate());

        server = SSLContext.getInstance("TLSv1.3");
        server.init(keyManagers(serverIdentity), trust, null);
        client = SSLContext.getInstance("TLSv1.3");
        if (variant.equals("baseline")) {
            client.init(keyManagers(clientIdentity), trust, null);
        } else {
            clientIdentity.writeChain(dir.resolve("client-chain.pem"));
            clientIdentity.writeKey(dir.resolve("client.key"));
            Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                    + "  - name: backend\n    hosts: [localhost]\n"
                    + "    identity: {certificate: client-chain.pem, key: client.key}\n");
            LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
            if (!loaded.errors().isEmpty()) {
                throw new IllegalStateException("profile did not load: " + loaded.errors());
            }
            ActiveProfiles.publish(loaded.snapshot());
            client.init(ManagerWrapping.wrapKeyManagers(null, ActiveProfiles.source()),
                    ManagerWrapping.wrapTrustManagers(trust, ActiveProfiles.source()), null);
        }
        int packet = client.createSSLEngine().getSession().getPacketBufferSize() * 4;
        clientToServer = ByteBuffer.allocate(packet);
        serverToClient = ByteBuffer.allocate(packet);
        sink = ByteBuffer.allocate(client.createSSLEngine().getSession().getApplicationBufferSize() * 4);

        SSLSession received = handshake();
        X509Certificate presented = (X509Certificate) received.getPeerCertificates()[0];
        if (!presented.getSubjectX500Principal().equals(clientIdentity.chain.get(0).getSubjectX500Principal())) {
            throw new IllegalStateException(variant + ": the server received " + presented.getSubjectX500Principal());
        }
    }

    @Benchmark
    public SSLSession fullHandshake() throws SSLException {
        return handshake();
    }

    /** One full handshake; returns the server's session (the client's is invalidated so none is resumed). */
    private SSLSession handshake() throws SSLException {
        SSLEngine clientEngine = client.createSSLEngine("localhost", 443);
        clientEngine.setUseClientMode(true);
        SSLEngine serverEngine = server.createSSLEngine();
        serverEngine.setUseClientMode(false);
        serverEngine.setNeedClientAuth(true);
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

    private static javax.net.ssl.KeyManager[] keyManagers(BenchmarkPki.Issued identity) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(identity.keyStore(PASSWORD), PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
