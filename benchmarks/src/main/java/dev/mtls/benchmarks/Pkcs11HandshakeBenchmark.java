package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.jsse.MtlsProvider;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Full mutual-TLS handshakes in memory (as {@link InMemoryHandshakeBenchmark}), the agent's client
 * identity from a PEM key file against the same key in a SoftHSM2 token ({@code identity.pkcs11}):
 * what signing through PKCS#11 costs per handshake. SoftHSM2 is software, so this is the
 * PKCS#11 path's overhead (JNI, sessions, SunPKCS11, the provider's routing), not an HSM's speed.
 * TLS 1.3, one run with an EC P-256 key and one with RSA 2048 (RSASSA-PSS on the token); the two
 * variants alternate in slices after a common warm-up, and the setup checks that the server
 * received the certificate in both.
 *
 * <p>SoftHSM2 reads its configuration once per process, so {@code SOFTHSM2_CONF} must name a file
 * this run may write (a fresh token folder is made beside it):
 *
 * <pre>
 * SOFTHSM2_CONF=/tmp/mtls-bench-softhsm/softhsm2.conf \
 *   java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.Pkcs11HandshakeBenchmark \
 *     [--warmup 20] [--rounds 10] [--seconds 2]
 * </pre>
 */
public final class Pkcs11HandshakeBenchmark {
    private static final String PASSWORD = "changeit";
    private static final String PIN = "bench-pin-1234";

    public static void main(String[] args) throws Exception {
        int warmupSeconds = 20;
        int rounds = 10;
        double seconds = 2;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup": warmupSeconds = Integer.parseInt(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (System.getenv("SOFTHSM2_CONF") == null || !SoftHsmToken.available()) {
            throw new IllegalStateException("needs SoftHSM2 and OpenSC, and SOFTHSM2_CONF naming a writable file");
        }
        Path dir = Files.createTempDirectory("mtls-pkcs11-bench");
        TestCertificate ca = TestPki.rootCa("PKCS#11 bench CA").create();
        TestCertificate ec = ca.issue("bench-ec").clientAuth().create();
        TestCertificate rsa = ca.issue("bench-rsa").keyType(TestPki.KeyType.RSA).clientAuth().create();
        // Both tokens before the library first loads: SoftHSM2 lists the tokens that exist then.
        SoftHsmToken token = SoftHsmToken.create(dir, "bench", PIN).importIdentity("ec", "01", ec)
                .importIdentity("rsa", "02", rsa);
        // As the agent does: its provider routes SunJSSE's signatures with a token key to the token.
        MtlsProvider.install();
        TrustManager[] trust = trustManagers(ca.certificate());
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(serverKeys(ca.issueLocalhostServer()), trust, null);

        System.out.printf("in-memory full mTLS handshakes (TLS 1.3), agent identity from a PEM file against the same key"
                + " in a SoftHSM2 token; %s %s; warm-up %d s, %d rounds of %.1f s per variant; load average %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), warmupSeconds, rounds, seconds,
                ChildRun.loadAverage());
        compare("EC P-256", ec, "ec", token, dir, server, trust, warmupSeconds, rounds, seconds);
        compare("RSA 2048", rsa, "rsa", token, dir, server, trust, warmupSeconds, rounds, seconds);
    }

    private static void compare(String keyName, TestCertificate identity, String label, SoftHsmToken token, Path dir,
            SSLContext server, TrustManager[] trust, int warmupSeconds, int rounds, double seconds) throws Exception {
        identity.writeChain(dir.resolve(label + "-chain.pem"));
        TestPki.ownerOnly(identity.writePkcs8Key(dir.resolve(label + ".key")));
        InMemoryHandshakes pem = agentClient(dir, label + "-pem.yaml", "{certificate: " + label + "-chain.pem, key: "
                + label + ".key}", server, trust);
        InMemoryHandshakes pkcs11 = agentClient(dir, label + "-pkcs11.yaml", "{pkcs11: {library: "
                + SoftHsmToken.library() + ", slot: " + token.slot() + ", pin: " + PIN + ", key: " + label + "}}",
                server, trust);
        requireClientCertificate("pem", pem, identity);
        requireClientCertificate("pkcs11", pkcs11, identity);

        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            pem.run(1);
            pkcs11.run(1);
        }
        List<Double> pemRates = new ArrayList<>();
        List<Double> tokenRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> pemCpu = new ArrayList<>();
        List<Double> tokenCpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double[] p;
            double[] t;
            if (round % 2 == 0) {
                p = pem.run(seconds);
                t = pkcs11.run(seconds);
            } else {
                t = pkcs11.run(seconds);
                p = pem.run(seconds);
            }
            pemRates.add(p[0]);
            tokenRates.add(t[0]);
            ratios.add(t[0] / p[0]);
            pemCpu.add(p[1]);
            tokenCpu.add(t[1]);
        }
        Stats pemStats = new Stats(pemRates);
        Stats tokenStats = new Stats(tokenRates);
        Stats ratioStats = new Stats(ratios);
        System.out.printf("%s:%n  key in a PEM file      %s /s   thread CPU µs/handshake %s%n", keyName,
                pemStats.summary("%.1f"), new Stats(pemCpu).summary("%.0f"));
        System.out.printf("  key in the token       %s /s   thread CPU µs/handshake %s%n",
                tokenStats.summary("%.1f"), new Stats(tokenCpu).summary("%.0f"));
        System.out.printf("  token/PEM: %.3f (ratio of medians), %.3f (median of per-round ratios, quartiles %.3f–%.3f)"
                + "; load average %s at the end%n", tokenStats.median() / pemStats.median(), ratioStats.median(),
                ratioStats.quantile(0.25), ratioStats.quantile(0.75), ChildRun.loadAverage());
    }

    /** A client as the agent's SSLContext hook builds it, its profile (one, for localhost) loaded from a file. */
    private static InMemoryHandshakes agentClient(Path dir, String file, String identity, SSLContext server,
            TrustManager[] trust) throws Exception {
        Path profiles = Files.writeString(dir.resolve(file), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n    identity: " + identity + "\n");
        LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
        if (!loaded.errors().isEmpty()) {
            throw new IllegalStateException(file + " did not load: " + loaded.errors());
        }
        ProfileSource source = new FixedSource(loaded.snapshot());
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(ManagerWrapping.wrapKeyManagers(null, source), ManagerWrapping.wrapTrustManagers(trust, source),
                null);
        return new InMemoryHandshakes(client, server, true);
    }

    private static void requireClientCertificate(String variant, InMemoryHandshakes handshakes, TestCertificate identity)
            throws Exception {
        X509Certificate presented = (X509Certificate) handshakes.handshake().getPeerCertificates()[0];
        if (!presented.equals(identity.certificate())) {
            throw new IllegalStateException(variant + ": the server received " + presented.getSubjectX500Principal());
        }
    }

    private static javax.net.ssl.KeyManager[] serverKeys(TestCertificate identity) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        factory.init(identity.keyStore("PKCS12", PASSWORD, "identity"), PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static final class FixedSource implements ProfileSource {
        private final ProfileSnapshot snapshot;

        FixedSource(ProfileSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public ProfileSnapshot current() {
            return snapshot;
        }
    }
}
