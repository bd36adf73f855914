package dev.mtls.benchmarks;

import dev.mtls.jsse.RoutingKeyManager;
import dev.mtls.jsse.RoutingTrustManager;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the agent adds to one client handshake, call by call: the key manager calls a TLS 1.3
 * client handshake makes (choose the alias for the peer, then its chain and key), through the
 * agent's {@link RoutingKeyManager} and through the JDK's own key manager over the same key; and
 * the server-chain check through {@link RoutingTrustManager} around a trust manager that accepts
 * everything, against that trust manager alone (so the difference is the routing, not the PKIX
 * check both variants make). The profile is loaded from a PEM profile file, as the agent does;
 * the peer is an SSLEngine made for "localhost". A full handshake costs 3–7 ms of CPU on this
 * machine (docs/PERFORMANCE.md), so these nanoseconds say what share of it is the agent's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RoutingOverheadBenchmark {
    private static final String PASSWORD = "changeit";
    private static final String[] KEY_TYPES = {"EC"};

    private X509ExtendedKeyManager agentKeys;
    private X509ExtendedKeyManager jdkKeys;
    private X509ExtendedTrustManager acceptAll;
    private X509ExtendedTrustManager agentTrust;
    private SSLEngine engine;
    private X509Certificate[] serverChain;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("mtls-routing");
        TestCertificate ca = TestPki.rootCa("Routing CA").create();
        TestCertificate client = ca.issue("routing-client").clientAuth().create();
        client.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(client.writePkcs8Key(dir.resolve("client.key")));
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n");
        LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
        if (!loaded.errors().isEmpty()) {
            throw new IllegalStateException("profile did not load: " + loaded.errors());
        }
        ActiveProfiles.publish(loaded.snapshot());
        agentKeys = new RoutingKeyManager(null, ActiveProfiles.source());
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(client.keyStore("PKCS12", PASSWORD, "client"), PASSWORD.toCharArray());
        jdkKeys = (X509ExtendedKeyManager) factory.getKeyManagers()[0];
        acceptAll = new AcceptAll();
        agentTrust = new RoutingTrustManager(acceptAll, ActiveProfiles.source());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        serverChain = ca.issueLocalhostServer().chain()
                .toArray(new X509Certificate[0]);
        if (keyManagerCalls(agentKeys) == 0 || keyManagerCalls(jdkKeys) == 0) {
            throw new IllegalStateException("a key manager chose no certificate for localhost");
        }
    }

    @Benchmark
    public int agentKeyManager() {
        return keyManagerCalls(agentKeys);
    }

    @Benchmark
    public int jdkKeyManager() {
        return keyManagerCalls(jdkKeys);
    }

    @Benchmark
    public X509ExtendedTrustManager agentTrustManager() throws Exception {
        agentTrust.checkServerTrusted(serverChain, "UNKNOWN", engine);
        return agentTrust;
    }

    @Benchmark
    public X509ExtendedTrustManager trustManagerAlone() throws Exception {
        acceptAll.checkServerTrusted(serverChain, "UNKNOWN", engine);
        return acceptAll;
    }

    /** The calls a client handshake makes: choose, chain, key. Returns 0 when nothing was chosen. */
    private int keyManagerCalls(X509ExtendedKeyManager keys) {
        String alias = keys.chooseEngineClientAlias(KEY_TYPES, null, engine);
        if (alias == null) {
            return 0;
        }
        X509Certificate[] chain = keys.getCertificateChain(alias);
        PrivateKey key = keys.getPrivateKey(alias);
        return chain.length + (key == null ? 0 : 1);
    }

    /** The trust check both variants share, made free so only the routing around it is measured. */
    private static final class AcceptAll extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
