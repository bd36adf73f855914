package dev.mtls.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Variants of in-memory handshakes run in one JVM, alternating in slices after a common warm-up,
 * the order rotating each round so that each variant is first, middle and last equally often (for
 * two variants: ABBA): on two cores the JIT compiles the handshake for tens of seconds and
 * separate runs per variant drift by ±30 %. The first variant is the baseline of the ratios.
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
}
