package dev.mtls.benchmarks;

import dev.mtls.match.CachingHostMatcher;
import dev.mtls.match.HostMatch;
import dev.mtls.match.HostMatcher;
import dev.mtls.match.HostPattern;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host lookup every handshake makes, with 10, 1,000 and 100,000 profiles, each holding one
 * exact host ({@code api<i>.example.com}) and one wildcard ({@code *.tenant<i>.example.net}).
 * Hosts looked up: an exact host, a name under a wildcard ({@code node7.tenant<i>.example.net}),
 * or a name no pattern matches. {@code cached}: through {@link CachingHostMatcher}, as handshakes
 * look up (1,024 distinct hosts in rotation, all in the cache after warm-up); {@code uncached}:
 * {@link HostMatcher} itself, as the first handshake to a host does (canonical form, then hash
 * lookups per label suffix). Targets: cached at most 100 ns, uncached at most 1 µs, exact names
 * flat in the number of profiles.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class HostLookupBenchmark {
    private static final int HOSTS = 1024;

    @Param({"10", "1000", "100000"})
    int profiles;

    @Param({"exact", "wildcard", "miss"})
    String kind;

    private HostMatcher<String> matcher;
    private CachingHostMatcher<String> cached;
    private final String[] hosts = new String[HOSTS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Map<HostPattern, String> patterns = new LinkedHashMap<>();
        for (int i = 0; i < profiles; i++) {
            patterns.put(HostPattern.parse("api" + i + ".example.com"), "p" + i);
            patterns.put(HostPattern.parse("*.tenant" + i + ".example.net"), "p" + i);
        }
        matcher = HostMatcher.of(patterns);
        cached = new CachingHostMatcher<>(matcher);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < HOSTS; i++) {
            int profile = random.nextInt(profiles);
            switch (kind) {
                case "exact":
                    hosts[i] = "api" + profile + ".example.com";
                    break;
                case "wildcard":
                    hosts[i] = "node" + random.nextInt(100) + ".tenant" + profile + ".example.net";
                    break;
                default:
                    hosts[i] = "host" + i + ".elsewhere.example.org";
            }
            // Each host answers as expected, or the benchmark would time the wrong path.
            Optional<HostMatch<String>> found = matcher.match(hosts[i], 443);
            if (found.isPresent() == kind.equals("miss")) {
                throw new IllegalStateException(hosts[i] + " -> " + found);
            }
        }
    }

    @Benchmark
    public Optional<HostMatch<String>> cached() {
        return cached.match(hosts[next++ & (HOSTS - 1)], 443);
    }

    @Benchmark
    public Optional<HostMatch<String>> uncached() {
        return matcher.match(hosts[next++ & (HOSTS - 1)], 443);
    }
}
