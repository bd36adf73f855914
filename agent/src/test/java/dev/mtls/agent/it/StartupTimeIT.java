package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.itapps.HelloApp;
import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test but a measurement, run on demand ({@code -Dmtls.measureStartup=true}): wall-clock
 * time of a JVM that starts and makes one mTLS request, with the agent and, as the baseline, with
 * the same identity given the JDK's way ({@code -Djavax.net.ssl.keyStore}). Runs alternate so
 * that drift on the machine hits both alike; the median of ten is printed, never asserted.
 */
class StartupTimeIT {
    private static final int RUNS = Integer.getInteger("mtls.measureStartup.runs", 10);

    @TempDir
    Path directory;

    @Test
    void measureStartup() throws Exception {
        assumeTrue(Boolean.getBoolean("mtls.measureStartup"), "run with -Dmtls.measureStartup=true");
        TestSetup setup = new TestSetup(directory);
        Path keyStore = setup.client.writeKeyStore(directory.resolve("client.p12"), "PKCS12", "changeit", "changeit",
                "client");
        try (TestBackends backends = new TestBackends(setup.server, setup.ca)) {
            for (Path java : (Iterable<Path>) ChildJvm.javaExecutables()::iterator) {
                Map<String, Supplier<ChildJvm>> variants = new LinkedHashMap<>();
                variants.put("hello, no agent", () -> ChildJvm.on(java));
                variants.put("hello, agent", () -> ChildJvm.on(java).agent("profiles=" + setup.profiles));
                variants.put("mTLS, -Djavax.net.ssl.keyStore", () -> setup.trustingClient(ChildJvm.on(java))
                        .jvmArgument("-Djavax.net.ssl.keyStore=" + keyStore)
                        .jvmArgument("-Djavax.net.ssl.keyStorePassword=changeit")
                        .jvmArgument("-Djavax.net.ssl.keyStoreType=PKCS12"));
                variants.put("mTLS, agent", () -> setup.trustingClient(ChildJvm.on(java))
                        .agent("profiles=" + setup.profiles));
                Map<String, List<Long>> times = new LinkedHashMap<>();
                for (int run = -2; run < RUNS; run++) {
                    for (Map.Entry<String, Supplier<ChildJvm>> variant : variants.entrySet()) {
                        String path = "/startup/" + run + "/" + variant.getKey().hashCode() + "/localhost";
                        boolean hello = variant.getKey().startsWith("hello");
                        long start = System.nanoTime();
                        ChildJvm.Result result = hello ? variant.getValue().get().run(HelloApp.class)
                                : variant.getValue().get().run(HttpsClientApp.class, "urlconnection",
                                        backends.requiredUrl("localhost", path));
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        assertEquals(0, result.exitCode, result.toString());
                        if (!hello) {
                            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path), result.toString());
                        }
                        if (run >= 0) {
                            times.computeIfAbsent(variant.getKey(), key -> new ArrayList<>()).add(millis);
                        }
                    }
                }
                System.out.println("start-up, median of " + RUNS + " runs, " + java);
                for (Map.Entry<String, List<Long>> entry : times.entrySet()) {
                    List<Long> sorted = new ArrayList<>(entry.getValue());
                    Collections.sort(sorted);
                    System.out.printf("  %-34s %5d ms   (min %d, max %d)%n", entry.getKey(), median(sorted),
                            sorted.get(0), sorted.get(sorted.size() - 1));
                }
            }
        }
    }

    private static long median(List<Long> sorted) {
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
