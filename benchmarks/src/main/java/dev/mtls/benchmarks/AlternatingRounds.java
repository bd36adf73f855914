package dev.mtls.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Two variants of in-memory handshakes run in one JVM, alternating in slices (ABBA: whichever
 * went second in one round goes first in the next) after a common warm-up: on two cores the JIT
 * compiles the handshake for tens of seconds and separate runs per variant drift by ±30 %.
 */
final class AlternatingRounds {
    final List<Double> firstRates = new ArrayList<>();
    final List<Double> secondRates = new ArrayList<>();
    /** second / first, per round. */
    final List<Double> ratios = new ArrayList<>();
    final List<Double> firstCpu = new ArrayList<>();
    final List<Double> secondCpu = new ArrayList<>();

    /** The command line's {@code [--warmup 30] [--rounds 20] [--seconds 2]}. */
    static final class Settings {
        int warmupSeconds = 30;
        int rounds = 20;
        double seconds = 2;

        static Settings of(String[] args) {
            Settings settings = new Settings();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--warmup": settings.warmupSeconds = Integer.parseInt(args[++i]); break;
                    case "--rounds": settings.rounds = Integer.parseInt(args[++i]); break;
                    case "--seconds": settings.seconds = Double.parseDouble(args[++i]); break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return settings;
        }
    }

    static AlternatingRounds run(InMemoryHandshakes first, InMemoryHandshakes second, int warmupSeconds, int rounds,
            double seconds) throws SSLException {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        while (System.nanoTime() < warmupEnd) {
            first.run(1);
            second.run(1);
        }
        AlternatingRounds result = new AlternatingRounds();
        for (int round = 0; round < rounds; round++) {
            double[] a;
            double[] b;
            if (round % 2 == 0) {
                a = first.run(seconds);
                b = second.run(seconds);
            } else {
                b = second.run(seconds);
                a = first.run(seconds);
            }
            result.firstRates.add(a[0]);
            result.secondRates.add(b[0]);
            result.ratios.add(b[0] / a[0]);
            result.firstCpu.add(a[1]);
            result.secondCpu.add(b[1]);
        }
        return result;
    }
}
