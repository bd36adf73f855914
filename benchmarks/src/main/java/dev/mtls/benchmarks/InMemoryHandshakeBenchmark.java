package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Full mutual-TLS handshakes between two {@code SSLEngine}s in memory, one thread, no sockets:
 * the handshake's own cost without the loopback network and the scheduler, which spread the
 * socket benchmark ({@code HandshakeBenchmark}) by several per cent. {@code baseline}: the
 * client's key and chain given by the application (a KeyManagerFactory over a PKCS12 key store),
 * trust from a TrustManagerFactory. {@code agent}: the same trust managers and no key managers,
 * wrapped as the agent's {@code SSLContext#init} hook wraps them, with the profile loaded from a
 * PEM profile file into {@link ActiveProfiles}. Every handshake is a full one (a new engine pair,
 * the client session invalidated), TLS 1.3, EC P-256; the setup checks that the server received
 * the client certificate in both variants.
 *
 * <p>Both variants run in the same JVM, alternating in slices (baseline, agent, agent, baseline,
 * ...), after a common warm-up: on two cores the JIT compiles the handshake for tens of seconds
 * and a JMH run per variant drifted by ±30 %. Reported: rates (median and quartiles over the
 * slices), the ratio of the medians, the median of the per-pair ratios, and the thread's CPU time
 * per handshake.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.InMemoryHandshakeBenchmark \
 *     [--warmup 30] [--rounds 20] [--seconds 2]
 * </pre>
 */
public final class InMemoryHandshakeBenchmark {
    private static final String PASSWORD = "changeit";

    public static void main(String[] args) throws Exception {
        AlternatingRounds.Settings settings = AlternatingRounds.Settings.of(List.of(args));
        Path dir = Files.createTempDirectory("mtls-in-memory");
        TestCertificate ca = TestPki.rootCa("In-memory CA").create();
        TestCertificate clientIdentity = ca.issue("in-memory-client").clientAuth().create();
        TestCertificate serverIdentity = ca.issueLocalhostServer();
        TrustManager[] trust = AlternatingRounds.trustManagers(ca.certificate());
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(keyManagers(serverIdentity), trust, null);

        SSLContext baselineClient = SSLContext.getInstance("TLSv1.3");
        baselineClient.init(keyManagers(clientIdentity), trust, null);

        clientIdentity.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(clientIdentity.writePkcs8Key(dir.resolve("client.key")));
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n");
        LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
        if (!loaded.errors().isEmpty()) {
            throw new IllegalStateException("profile did not load: " + loaded.errors());
        }
        ActiveProfiles.publish(loaded.snapshot());
        SSLContext agentClient = SSLContext.getInstance("TLSv1.3");
        agentClient.init(ManagerWrapping.wrapKeyManagers(null, ActiveProfiles.source()),
                ManagerWrapping.wrapTrustManagers(trust, ActiveProfiles.source()), null);

        InMemoryHandshakes baseline = new InMemoryHandshakes(baselineClient, server, true);
        InMemoryHandshakes agent = new InMemoryHandshakes(agentClient, server, true);
        AlternatingRounds.requireClientCertificate("baseline", baseline, clientIdentity);
        AlternatingRounds.requireClientCertificate("agent", agent, clientIdentity);

        System.out.printf("in-memory full mTLS handshakes (TLS 1.3, EC P-256), %s %s; warm-up %d s, %d rounds of %.1f s"
                + " per variant; load average %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
                settings.warmupSeconds, settings.rounds, settings.seconds, ChildRun.loadAverage());
        AlternatingRounds.run(List.of(baseline, agent), settings)
                .print("key configured by the app ", "agent                     ", "agent/baseline");
    }

    static javax.net.ssl.KeyManager[] keyManagers(TestCertificate identity) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(identity.keyStore("PKCS12", PASSWORD, "identity"), PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }
}
