package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CRLReason;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The cost of revocation by CRL per full handshake: two profiles of one file, the same identity
 * and CA, one with {@code trust.revocation.crl} (a CRL of the CA listing 1,000 other revoked
 * certificates) and one without, each for its own host; one agent-wrapped client context routes
 * by the host its engine is for. In-memory {@code SSLEngine} pairs as {@link
 * InMemoryHandshakeBenchmark} (full TLS 1.3 handshakes, EC P-256), alternating in slices after a
 * common warm-up. Reported: rates, the ratio crl/plain (the target is at least 0.95).
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.RevocationHandshakeBenchmark \
 *     [--warmup 30] [--rounds 20] [--seconds 2]
 * </pre>
 */
public final class RevocationHandshakeBenchmark {
    private static final String PASSWORD = "changeit";
    private static final int REVOKED_ENTRIES = 1_000;

    public static void main(String[] args) throws Exception {
        AlternatingRounds.Settings settings = AlternatingRounds.Settings.of(args);
        int warmupSeconds = settings.warmupSeconds;
        int rounds = settings.rounds;
        double seconds = settings.seconds;
        Path dir = Files.createTempDirectory("mtls-revocation");
        TestCertificate ca = TestPki.rootCa("Revocation benchmark CA").ca().create();
        TestCertificate clientIdentity = ca.issue("benchmark-client").clientAuth().create();
        TestCertificate serverIdentity = ca.issue("benchmark-server").serverAuth().dns("plain.test", "crl.test")
                .create();
        TestCrl crl = TestCrl.by(ca);
        for (int i = 0; i < REVOKED_ENTRIES; i++) {
            crl.revoke(ca.issue("revoked-" + i).create().certificate(), CRLReason.KEY_COMPROMISE);
        }
        crl.writePem(dir.resolve("ca.crl"));
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        clientIdentity.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(clientIdentity.writePkcs8Key(dir.resolve("client.key")));
        String identity = "    identity: {certificate: client-chain.pem, key: client.key}\n";
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: plain\n    hosts: [plain.test]\n" + identity
                + "    trust: {certificates: ca.pem}\n"
                + "  - name: crl\n    hosts: [crl.test]\n" + identity
                + "    trust: {certificates: ca.pem, revocation: {crl: ca.crl}}\n");
        LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
        if (!loaded.errors().isEmpty()) {
            throw new IllegalStateException("profiles did not load: " + loaded.errors());
        }
        ActiveProfiles.publish(loaded.snapshot());

        TrustManager[] trust = trustManagers(ca);
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        KeyManagerFactory serverKeys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        serverKeys.init(serverIdentity.keyStore("PKCS12", PASSWORD, "server"), PASSWORD.toCharArray());
        server.init(serverKeys.getKeyManagers(), trust, null);
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(ManagerWrapping.wrapKeyManagers(null, ActiveProfiles.source()),
                ManagerWrapping.wrapTrustManagers(trust, ActiveProfiles.source()), null);
        InMemoryHandshakes plain = new InMemoryHandshakes(client, server, true, "plain.test");
        InMemoryHandshakes checked = new InMemoryHandshakes(client, server, true, "crl.test");
        plain.handshake();
        checked.handshake();

        System.out.printf("in-memory full mTLS handshakes (TLS 1.3, EC P-256), CRL of %d entries, %s %s; warm-up %d s,"
                + " %d rounds of %.1f s per variant; load average %s%n", REVOKED_ENTRIES,
                System.getProperty("java.vm.name"), System.getProperty("java.version"), warmupSeconds, rounds, seconds,
                ChildRun.loadAverage());
        AlternatingRounds runs = AlternatingRounds.run(plain, checked, warmupSeconds, rounds, seconds);
        List<Double> plainRates = runs.firstRates;
        List<Double> crlRates = runs.secondRates;
        List<Double> ratios = runs.ratios;
        Stats plainStats = new Stats(plainRates);
        Stats crlStats = new Stats(crlRates);
        Stats ratioStats = new Stats(ratios);
        System.out.printf("  profile without revocation  %s /s%n", plainStats.summary("%.1f"));
        System.out.printf("  profile with a CRL          %s /s%n", crlStats.summary("%.1f"));
        System.out.printf("  crl/plain: %.3f (ratio of medians), %.3f (median of per-round ratios, quartiles %.3f–%.3f)"
                + "; load average %s at the end%n", crlStats.median() / plainStats.median(), ratioStats.median(),
                ratioStats.quantile(0.25), ratioStats.quantile(0.75), ChildRun.loadAverage());
        System.out.printf("  the revocation check alone: %.2f µs thread CPU per call (the handshake: %.0f µs)%n",
                checkCpuMicros(loaded, serverIdentity, ca), 1e6 / crlStats.median());
    }

    /**
     * The check as a handshake makes it, on its own, in thread CPU time: robust where the
     * handshake rates are not (a loaded machine spreads them by tens of per cent).
     */
    private static double checkCpuMicros(LoadResult loaded, TestCertificate server, TestCertificate ca)
            throws Exception {
        dev.mtls.snapshot.LoadedProfile profile = loaded.snapshot().profile("crl").orElseThrow();
        dev.mtls.profile.RevocationSpec spec = profile.definition().trust().revocation();
        List<dev.mtls.material.RevocationList> lists = profile.trust().orElseThrow().revocationLists();
        java.security.cert.X509Certificate[] chain = {server.certificate()};
        List<java.security.cert.X509Certificate> anchors = List.of(ca.certificate());
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int calls = 200_000;
        for (int i = 0; i < calls; i++) {
            dev.mtls.revocation.RevocationCheck.check("profile 'crl'", spec, lists, chain, anchors, List.of(),
                    java.time.Instant.now());
        }
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < calls; i++) {
            dev.mtls.revocation.RevocationCheck.check("profile 'crl'", spec, lists, chain, anchors, List.of(),
                    java.time.Instant.now());
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1e3 / calls;
    }

    private static TrustManager[] trustManagers(TestCertificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}
