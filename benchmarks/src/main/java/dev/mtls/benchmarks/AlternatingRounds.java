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
 * Two variants of in-memory handshakes measured in the same JVM: a common warm-up, then rounds
 * in ABBA order (whichever goes second in one round goes first in the next), because on two
 * cores the JIT compiles the handshake for tens of seconds and a separate run per variant drifts
 * by ±30 %. Printed: each variant's rate (median and quartiles over the rounds) and thread CPU per
 * handshake, the ratio of the medians and the median of the per-round ratios.
 */
final class AlternatingRounds {
    /** {@code --warmup S --rounds N --seconds S}: how long to warm up, how many rounds, how long each slice. */
    static final class Options {
        int warmupSeconds;
        int rounds;
        double seconds;

        static Options parse(String[] args, int warmupSeconds, int rounds, double seconds) {
            Options options = new Options();
            options.warmupSeconds = warmupSeconds;
            options.rounds = rounds;
            options.seconds = seconds;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--warmup": options.warmupSeconds = Integer.parseInt(args[++i]); break;
                    case "--rounds": options.rounds = Integer.parseInt(args[++i]); break;
                    case "--seconds": options.seconds = Double.parseDouble(args[++i]); break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return options;
        }
    }

    private final List<Double> baselineRates = new ArrayList<>();
    private final List<Double> variantRates = new ArrayList<>();
    private final List<Double> ratios = new ArrayList<>();
    private final List<Double> baselineCpu = new ArrayList<>();
    private final List<Double> variantCpu = new ArrayList<>();

    private AlternatingRounds() {
    }

    static AlternatingRounds run(InMemoryHandshakes baseline, InMemoryHandshakes variant, int warmupSeconds,
            int rounds, double seconds) throws SSLException {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            baseline.run(1);
            variant.run(1);
        }
        AlternatingRounds result = new AlternatingRounds();
        for (int round = 0; round < rounds; round++) {
            double[] b;
            double[] v;
            if (round % 2 == 0) {
                b = baseline.run(seconds);
                v = variant.run(seconds);
            } else {
                v = variant.run(seconds);
                b = baseline.run(seconds);
            }
            result.baselineRates.add(b[0]);
            result.variantRates.add(v[0]);
            result.ratios.add(v[0] / b[0]);
            result.baselineCpu.add(b[1]);
            result.variantCpu.add(v[1]);
        }
        return result;
    }

    /** @param baselineName and {@code variantName} padded alike, they label the two lines */
    void print(String baselineName, String variantName, String ratioName) {
        Stats baselineStats = new Stats(baselineRates);
        Stats variantStats = new Stats(variantRates);
        System.out.printf("  %s %s /s   thread CPU µs/handshake %s%n", baselineName, baselineStats.summary("%.1f"),
                new Stats(baselineCpu).summary("%.0f"));
        System.out.printf("  %s %s /s   thread CPU µs/handshake %s%n", variantName, variantStats.summary("%.1f"),
                new Stats(variantCpu).summary("%.0f"));
        Stats ratioStats = new Stats(ratios);
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
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm(), "SunJSSE");
        factory.init(store);
        return factory.getTrustManagers();
    }
}
