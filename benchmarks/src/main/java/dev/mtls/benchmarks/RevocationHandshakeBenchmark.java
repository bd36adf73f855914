package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.material.RevocationList;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.revocation.RevocationCheck;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.testing.OpenSslOcspResponder;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestCrl;
import dev.mtls.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * What revocation checking adds to a full mutual-TLS handshake, in memory (as
 * {@link InMemoryHandshakeBenchmark}: two {@code SSLEngine}s, one thread, TLS 1.3, EC P-256): the
 * same profile (the client's key, {@code trust.certificates} the server's CA) for three ports of
 * {@code localhost}, without revocation ({@code none}, the baseline), with a CRL of the server's
 * issuer that lists 1,000 other serial numbers but not the server's ({@code crl}, made by
 * {@link TestCrl}), and with OCSP ({@code ocsp}) answered by an {@code openssl ocsp} responder on
 * loopback once during the setup and then from the cache (its answers carry a nextUpdate an hour
 * ahead, so no refresh falls in the run). The setup checks that each variant's handshake succeeds
 * and, for OCSP, that the responder was asked. Variants alternate in slices after a common warm-up
 * ({@link AlternatingRounds}). Last, the revocation check alone, as a handshake makes it, in thread
 * CPU time per call: where the handshake rates cannot resolve a microsecond, this can.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.RevocationHandshakeBenchmark \
 *     [--warmup 30] [--rounds 20] [--seconds 2] [--variants none,crl,ocsp]
 * </pre>
 */
public final class RevocationHandshakeBenchmark {
    private static final int OTHER_REVOKED = 1_000;
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("none", 1001);
        PORTS.put("crl", 1002);
        PORTS.put("ocsp", 1003);
    }

    public static void main(String[] args) throws Exception {
        List<String> variants = new ArrayList<>(PORTS.keySet());
        List<String> roundArguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--variants")) {
                variants = List.of(args[++i].split(","));
            } else {
                roundArguments.add(args[i]);
            }
        }
        AlternatingRounds.Settings settings = AlternatingRounds.Settings.of(roundArguments);
        if (!variants.get(0).equals("none")) {
            throw new IllegalArgumentException("the first variant must be the baseline, none");
        }
        Path dir = Files.createTempDirectory("mtls-revocation");
        TestCertificate ca = TestPki.rootCa("Revocation benchmark CA").create();
        TestCertificate clientIdentity = ca.issue("in-memory-client").clientAuth().create();
        TestCertificate serverIdentity = ca.issueLocalhostServer();
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(InMemoryHandshakeBenchmark.keyManagers(serverIdentity), AlternatingRounds.trustManagers(ca.certificate()), null);

        clientIdentity.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(clientIdentity.writePkcs8Key(dir.resolve("client.key")));
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        // Serials far above the ones TestPki hands out, so that none is the server's.
        TestCrl crl = TestCrl.by(ca);
        for (int i = 0; i < OTHER_REVOKED; i++) {
            crl.revoke(BigInteger.valueOf(1_000_000_000L + i), CRLReason.SUPERSEDED);
        }
        crl.writeDer(dir.resolve("ca.crl"));
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
            TrustManager[] applicationTrust = AlternatingRounds.trustManagers(ca.certificate());
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
            System.out.printf("in-memory full mTLS handshakes through the agent (TLS 1.3, EC P-256), CRL of %d other"
                    + " entries, %s %s; warm-up %d s, %d rounds of %.1f s per variant; load average %s%n", OTHER_REVOKED,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"), settings.warmupSeconds,
                    settings.rounds, settings.seconds, ChildRun.loadAverage());
            report(variants, AlternatingRounds.run(runs, settings));
            for (String variant : variants) {
                if (!variant.equals("none")) {
                    System.out.printf("  the %s check alone: %.2f µs thread CPU per call%n", variant,
                            checkCpuMicros(loaded.snapshot().profile(variant).orElseThrow(), serverIdentity, ca));
                }
            }
            if (variants.contains("ocsp") && responder.log().split("Received request", -1).length - 1 != 1) {
                System.out.println("  note: the responder was asked more than once: " + responder.log());
            }
        }
    }

    private static void report(List<String> variants, AlternatingRounds runs) {
        double baseline = new Stats(runs.rates.get(0)).median();
        for (int v = 0; v < variants.size(); v++) {
            Stats rate = new Stats(runs.rates.get(v));
            Stats ratio = new Stats(runs.ratios.get(v));
            System.out.printf("  %-5s %s /s   thread CPU µs/handshake %s   /none: %.3f (ratio of medians), %.3f (median of"
                    + " per-round ratios, quartiles %.3f–%.3f)%n", variants.get(v), rate.summary("%.1f"),
                    new Stats(runs.cpu.get(v)).summary("%.0f"), rate.median() / baseline, ratio.median(),
                    ratio.quantile(0.25), ratio.quantile(0.75));
        }
        System.out.printf("  load average %s at the end%n", ChildRun.loadAverage());
    }

    /** {@link RevocationCheck#check} of the server's certificate under the profile's revocation, in thread CPU per call. */
    private static double checkCpuMicros(LoadedProfile profile, TestCertificate server, TestCertificate ca)
            throws Exception {
        String owner = "profile '" + profile.definition().name() + "'";
        RevocationSpec spec = profile.definition().trust().revocation();
        List<RevocationList> lists = profile.trust().orElseThrow().revocationLists();
        X509Certificate[] chain = {server.certificate()};
        List<X509Certificate> anchors = List.of(ca.certificate());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int calls = 200_000;
        long start = 0;
        for (int pass = 0; pass < 2; pass++) {
            // The first pass warms the JIT up, the second is measured.
            start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                RevocationCheck.check(owner, spec, lists, chain, anchors, List.of(), Instant.now());
            }
        }
        return (threads.getCurrentThreadCpuTime() - start) / 1e3 / calls;
    }
}
