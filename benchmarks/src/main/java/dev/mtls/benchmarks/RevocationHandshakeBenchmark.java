package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.OpenSslOcspResponder;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * What revocation checking adds to a full mutual-TLS handshake, in memory (as
 * {@link InMemoryHandshakeBenchmark}: two {@code SSLEngine}s, one thread, TLS 1.3, EC P-256): the
 * same profile (the client's key, {@code trust.certificates} the server's CA) for three ports of
 * {@code localhost}, without revocation ({@code none}, the baseline), with a CRL of the server's
 * issuer that does not list it ({@code crl}), and with OCSP ({@code ocsp}) answered by an
 * {@code openssl ocsp} responder on loopback once during the setup and then from the cache (its
 * answers carry a nextUpdate an hour ahead, so no refresh falls in the run). The setup checks
 * that each variant's handshake succeeds and, for OCSP, that the answer is the cached one.
 * Variants alternate in slices after a common warm-up, the order rotating each round.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.RevocationHandshakeBenchmark \
 *     [--warmup 30] [--rounds 20] [--seconds 2] [--variants none,crl,ocsp]
 * </pre>
 */
public final class RevocationHandshakeBenchmark {
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("none", 1001);
        PORTS.put("crl", 1002);
        PORTS.put("ocsp", 1003);
    }

    public static void main(String[] args) throws Exception {
        int warmupSeconds = 30;
        int rounds = 20;
        double seconds = 2;
        List<String> variants = new ArrayList<>(PORTS.keySet());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup": warmupSeconds = Integer.parseInt(args[++i]); break;
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Double.parseDouble(args[++i]); break;
                case "--variants": variants = List.of(args[++i].split(",")); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!variants.get(0).equals("none")) {
            throw new IllegalArgumentException("the first variant must be the baseline, none");
        }
        Path dir = Files.createTempDirectory("mtls-revocation");
        TestCertificate ca = TestPki.rootCa("Revocation benchmark CA").create();
        TestCertificate clientIdentity = ca.issue("in-memory-client").clientAuth().create();
        TestCertificate serverIdentity = ca.issueLocalhostServer();
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(InMemoryHandshakeBenchmark.keyManagers(serverIdentity), InMemoryHandshakeBenchmark.trustManagers(ca.certificate()), null);

        clientIdentity.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(clientIdentity.writePkcs8Key(dir.resolve("client.key")));
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        writeCrl(ca, dir.resolve("ca.crl"));
        try (OpenSslOcspResponder responder = new OpenSslOcspResponder(dir, ca, ca).good(serverIdentity).start(60)) {
            StringBuilder yaml = new StringBuilder("version: 1\nprofiles:\n");
            for (Map.Entry<String, Integer> variant : PORTS.entrySet()) {
                yaml.append("  - name: ").append(variant.getKey()).append("\n    hosts: [localhost:")
                        .append(variant.getValue()).append("]\n")
                        .append("    identity: {certificate: client-chain.pem, key: client.key}\n")
                        .append("    trust:\n      certificates: ca.pem\n");
                if (variant.getKey().equals("crl")) {
                    yaml.append("      revocation: {crl: ca.crl}\n");
                } else if (variant.getKey().equals("ocsp")) {
                    yaml.append("      revocation: {ocsp: true, ocspResponder: '").append(responder.url())
                            .append("'}\n");
                }
            }
            Path profiles = Files.writeString(dir.resolve("profiles.yaml"), yaml.toString());
            LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
            if (!loaded.errors().isEmpty()) {
                throw new IllegalStateException("profiles did not load: " + loaded.errors());
            }
            ActiveProfiles.publish(loaded.snapshot());
            // The application's own trust (the JDK's default) is what the agent's trust manager wraps.
            TrustManager[] applicationTrust = InMemoryHandshakeBenchmark.trustManagers(ca.certificate());
            SSLContext agentClient = SSLContext.getInstance("TLSv1.3");
            agentClient.init(ManagerWrapping.wrapKeyManagers(null, ActiveProfiles.source()),
                    ManagerWrapping.wrapTrustManagers(applicationTrust, ActiveProfiles.source()), null);

            List<InMemoryHandshakes> runs = new ArrayList<>();
            for (String variant : variants) {
                InMemoryHandshakes handshakes = new InMemoryHandshakes(agentClient, server, true, PORTS.get(variant));
                X509Certificate presented;
                try {
                    presented = (X509Certificate) handshakes.handshake().getPeerCertificates()[0];
                } catch (javax.net.ssl.SSLException e) {
                    throw new IllegalStateException(variant + ": the handshake failed: " + e.getMessage(), e);
                }
                if (!presented.equals(clientIdentity.certificate())) {
                    throw new IllegalStateException(variant + ": the server received " + presented.getSubjectX500Principal());
                }
                runs.add(handshakes);
            }
            if (variants.contains("ocsp") && !responder.log().contains("Received request")) {
                throw new IllegalStateException("ocsp: the responder was never asked: " + responder.log());
            }
            run(variants, runs, warmupSeconds, rounds, seconds);
            if (variants.contains("ocsp") && responder.log().split("Received request", -1).length - 1 != 1) {
                System.out.println("  note: the responder was asked more than once: " + responder.log());
            }
        }
    }

    private static void run(List<String> variants, List<InMemoryHandshakes> runs, int warmupSeconds, int rounds,
            double seconds) throws Exception {
        System.out.printf("in-memory full mTLS handshakes through the agent (TLS 1.3, EC P-256), %s %s; warm-up %d s,"
                + " %d rounds of %.1f s per variant; load average %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), warmupSeconds, rounds, seconds, ChildRun.loadAverage());
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            for (InMemoryHandshakes handshakes : runs) {
                handshakes.run(0.2);
            }
        }
        int n = runs.size();
        List<List<Double>> rates = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        List<List<Double>> ratios = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            rates.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
            ratios.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            double[][] results = new double[n][];
            for (int k = 0; k < n; k++) {
                // The order rotates: each variant is first, middle and last equally often.
                int v = (round + k) % n;
                results[v] = runs.get(v).run(seconds);
            }
            for (int v = 0; v < n; v++) {
                rates.get(v).add(results[v][0]);
                cpu.get(v).add(results[v][1]);
                ratios.get(v).add(results[v][0] / results[0][0]);
            }
        }
        double baseline = new Stats(rates.get(0)).median();
        for (int v = 0; v < n; v++) {
            Stats rate = new Stats(rates.get(v));
            Stats ratio = new Stats(ratios.get(v));
            System.out.printf("  %-5s %s /s   thread CPU µs/handshake %s   /none: %.3f (ratio of medians), %.3f (median of"
                    + " per-round ratios, quartiles %.3f–%.3f)%n", variants.get(v), rate.summary("%.1f"),
                    new Stats(cpu.get(v)).summary("%.0f"), rate.median() / baseline, ratio.median(),
                    ratio.quantile(0.25), ratio.quantile(0.75));
        }
        System.out.printf("  load average %s at the end%n", ChildRun.loadAverage());
    }

    /** A current CRL of the CA that lists another serial, not the server's. */
    private static void writeCrl(TestCertificate ca, Path file) throws Exception {
        Instant now = Instant.now();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                org.bouncycastle.asn1.x500.X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(now.minus(Duration.ofMinutes(1))));
        builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
        builder.addCRLEntry(BigInteger.valueOf(12345), Date.from(now.minus(Duration.ofDays(1))), CRLReason.superseded);
        java.security.cert.X509CRL crl = new JcaX509CRLConverter().getCRL(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.privateKey())));
        Files.write(file, crl.getEncoded());
    }
}
