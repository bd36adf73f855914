package dev.mtls.benchmarks;

import dev.mtls.testing.TestCertificate;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Variants of in-memory handshakes run in one JVM, alternating in slices after a common warm-up,
 * the order rotating each round so that each variant is first, middle and last equally often (for
 * two variants: ABBA): on two cores the JIT compiles the handshake for tens of seconds and
 * separate runs per variant drift by ±30 %. The first variant is the baseline of the ratios. Also
 * what the in-memory benchmarks share: the check that a variant presents the certificate it claims,
 * and SunJSSE's trust managers over one CA.
 */
final class AlternatingRounds {
    /** Per variant, in the order given: handshakes per second, one per round. */
    final List<List<Double>> rates = new ArrayList<>();
    /** Per variant: thread CPU µs per handshake, one per round. */
    final List<List<Double>> cpu = new ArrayList<>();
    /** Per variant: its rate / the first variant's rate in the same round. */
    final List<List<Double>> ratios = new ArrayList<>();

    /** The command line's {@code [--warmup 30] [--rounds 20] [--seconds 2]}. */
    static final class Settings {
        int warmupSeconds = 30;
        int rounds = 20;
        double seconds = 2;

        static Settings of(List<String> args) {
            Settings settings = new Settings();
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--warmup": settings.warmupSeconds = Integer.parseInt(args.get(++i)); break;
                    case "--rounds": settings.rounds = Integer.parseInt(args.get(++i)); break;
                    case "--seconds": settings.seconds = Double.parseDouble(args.get(++i)); break;
                    default: throw new IllegalArgumentException("unknown argument " + args.get(i));
                }
            }
            return settings;
        }
    }

    static AlternatingRounds run(List<InMemoryHandshakes> variants, Settings settings) throws SSLException {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            for (InMemoryHandshakes variant : variants) {
                variant.run(1);
            }
        }
        int n = variants.size();
        AlternatingRounds result = new AlternatingRounds();
        for (int v = 0; v < n; v++) {
            result.rates.add(new ArrayList<>());
            result.cpu.add(new ArrayList<>());
            result.ratios.add(new ArrayList<>());
        }
        double[][] round = new double[n][];
        for (int r = 0; r < settings.rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = (r + k) % n;
                round[v] = variants.get(v).run(settings.seconds);
            }
            for (int v = 0; v < n; v++) {
                result.rates.get(v).add(round[v][0]);
                result.cpu.get(v).add(round[v][1]);
                result.ratios.get(v).add(round[v][0] / round[0][0]);
            }
        }
        return result;
    }

    /**
     * Two variants' lines (rate and thread CPU per handshake) and the second's ratio to the first.
     *
     * @param baselineName and {@code variantName} padded alike, they label the two lines
     */
    void print(String baselineName, String variantName, String ratioName) {
        Stats baselineStats = new Stats(rates.get(0));
        Stats variantStats = new Stats(rates.get(1));
        System.out.printf("  %s %s /s   thread CPU µs/handshake %s%n", baselineName, baselineStats.summary("%.1f"),
                new Stats(cpu.get(0)).summary("%.0f"));
        System.out.printf("  %s %s /s   thread CPU µs/handshake %s%n", variantName, variantStats.summary("%.1f"),
                new Stats(cpu.get(1)).summary("%.0f"));
        Stats ratioStats = new Stats(ratios.get(1));
        System.out.printf("  %s: %.3f (ratio of medians), %.3f (median of per-round ratios, quartiles %.3f–%.3f)"
                + "; load average %s at the end%n", ratioName, variantStats.median() / baselineStats.median(),
                ratioStats.median(), ratioStats.quantile(0.25), ratioStats.quantile(0.75), ChildRun.loadAverage());
    }

    /** Fails unless the server received {@code identity}'s certificate: a variant must do what it claims. */
    static void requireClientCertificate(String variant, InMemoryHandshakes handshakes, TestCertificate identity)
            throws Exception {
        X509Certificate presented = (X509Certificate) handshakes.handshake().getPeerCertificates()[0];
        if (!presented.getSubjectX500Principal().equals(identity.certificate().getSubjectX500Principal())) {
            throw new IllegalStateException(variant + ": the server received " + presented.getSubjectX500Principal());
        }
    }

    /** SunJSSE's trust managers over one CA (named: a benchmark may have put the agent's provider first). */
    static TrustManager[] trustManagers(X509Certificate ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm(),
                "SunJSSE");
        factory.init(store);
        return factory.getTrustManagers();
    }
}
