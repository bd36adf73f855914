package dev.mtls.benchmarks.handshake;

import dev.mtls.benchmarks.ChildRun;
import dev.mtls.benchmarks.CountingTrustManager;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.OpenSslServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.benchmarks.Stats;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput with the agent against the fair baseline: the same application, the same key, but
 * configured by the application itself (a KeyManagerFactory over a PKCS12 file holding the
 * profile's key and chain). Three scenarios, each client in a child JVM of its own:
 * <ul>
 *   <li>full mTLS handshakes per second, no resumption, against {@code openssl s_server -Verify 1};
 *   <li>the same against a JDK HttpsServer that requires a client certificate;
 *   <li>HTTPS requests per second over one pooled (keep-alive) connection to the JDK server.
 * </ul>
 * The two variants alternate run by run ({@code --rounds} pairs), each run warming up before it
 * counts; reported are the medians of the rates, the ratio agent/baseline of the medians, the
 * median of the per-round ratios (neighbours in time, so it cancels most of the machine's drift),
 * and the client's CPU per operation: the whole process's, and the client thread's alone, which
 * on a shared machine is the steadiest measure of what the agent adds to each handshake. Before counting, each variant proves on three connections
 * made the same way that the server received the profile's certificate in a full handshake; the
 * JDK server also counts full handshakes during the run.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.handshake.HandshakeBenchmark \
 *     [--rounds 5] [--warmup 5] [--seconds 10] [--agent agent/target/mtls-agent.jar] [--java /path/to/bin/java]
 *     [--only openssl|jdk|requests]
 * </pre>
 */
public final class HandshakeBenchmark {
    private static final String PASSWORD = "changeit";

    private HandshakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        int warmup = 5;
        int seconds = 10;
        String only = null;
        Path agent = Path.of("agent/target/mtls-agent.jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--seconds": seconds = Integer.parseInt(args[++i]); break;
                case "--agent": agent = Path.of(args[++i]); break;
                case "--java": java = Path.of(args[++i]); break;
                case "--only": only = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException(agent.toAbsolutePath() + " is not built: mvn -pl provider,agent package");
        }
        Path dir = Files.createTempDirectory("mtls-handshakes");
        TestCertificate ca = TestPki.rootCa("Throughput CA").create();
        TestCertificate client = ca.issue("throughput-client").clientAuth().create();
        TestCertificate server = ca.issueLocalhostServer();
        client.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(client.writePkcs8Key(dir.resolve("client.key")));
        Path keyStore = client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", PASSWORD, PASSWORD, "client");
        Path trustStore = TestPki.writeTrustStore(dir.resolve("truststore.p12"), "PKCS12", PASSWORD, ca.certificate());
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n");
        Setup setup = new Setup(java, agent, profiles, trustStore, keyStore, client.subject(), rounds, warmup, seconds);
        System.out.printf("throughput: %s, %d rounds of %d s (after %d s warm-up) per variant, one client thread;"
                + " load average %s at start%n", java, rounds, seconds, warmup, ChildRun.loadAverage());
        AtomicLong fullHandshakes = new AtomicLong();
        try (OpenSslServer openssl = OpenSslServer.requiringClientCertificate(dir, server, ca);
                JdkTlsServer jdk = CountingTrustManager.requiringServer(server, ca, fullHandshakes)) {
            if (only == null || only.equals("openssl")) {
                measure(setup, "full handshakes/s, openssl s_server -Verify 1", "handshakes",
                        openssl.url("localhost", "/"), null);
            }
            if (only == null || only.equals("jdk")) {
                measure(setup, "full handshakes/s, JDK HttpsServer", "handshakes", jdk.url("localhost", "/"),
                        fullHandshakes);
            }
            if (only == null || only.equals("requests")) {
                measure(setup, "requests/s over a pooled connection, JDK HttpsServer", "requests",
                        jdk.url("localhost", "/"), null);
            }
        }
        System.out.printf("load average %s at the end%n", ChildRun.loadAverage());
    }

    private static void measure(Setup setup, String title, String mode, String url, AtomicLong counted)
            throws Exception {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpuPerOperation = new LinkedHashMap<>();
        Map<String, List<Double>> threadCpuPerOperation = new LinkedHashMap<>();
        for (String variant : List.of("app", "agent")) {
            check(setup, variant, url);
        }
        for (int round = 0; round < setup.rounds; round++) {
            for (String variant : List.of("app", "agent")) {
                long handshakesBefore = counted == null ? 0 : counted.get();
                ChildRun child = requireSuccess(ChildRun.run(setup.command(variant, mode, url), 600));
                long count = Long.parseLong(child.value("count"));
                double rate = count / (Long.parseLong(child.value("nanos")) / 1e9);
                if (counted != null && counted.get() - handshakesBefore < count) {
                    throw new IllegalStateException("the server saw " + (counted.get() - handshakesBefore)
                            + " full handshakes for " + count + " connections: sessions were resumed");
                }
                rates.computeIfAbsent(variant, key -> new ArrayList<>()).add(rate);
                cpuPerOperation.computeIfAbsent(variant, key -> new ArrayList<>())
                        .add(Long.parseLong(child.value("cpuMillis")) * 1000.0 / count);
                threadCpuPerOperation.computeIfAbsent(variant, key -> new ArrayList<>())
                        .add((double) Long.parseLong(child.value("threadCpuMicros")) / count);
            }
        }
        System.out.println();
        System.out.println(title);
        String[] names = {"app", "agent"};
        String[] labels = {"key configured by the app", "agent"};
        for (int i = 0; i < names.length; i++) {
            System.out.printf("  %-26s %-26s client CPU µs/op: process %-18s thread %s%n", labels[i],
                    new Stats(rates.get(names[i])).summary("%.0f") + " /s",
                    new Stats(cpuPerOperation.get(names[i])).summary("%.0f"),
                    new Stats(threadCpuPerOperation.get(names[i])).summary("%.1f"));
        }
        List<Double> ratios = new ArrayList<>();
        for (int round = 0; round < setup.rounds; round++) {
            ratios.add(rates.get("agent").get(round) / rates.get("app").get(round));
        }
        System.out.printf("  agent/baseline rate: %.3f (ratio of medians), %.3f (median of per-round ratios, range"
                + " %.3f-%.3f); baseline/agent thread CPU per op: %.3f%n",
                new Stats(rates.get("agent")).median() / new Stats(rates.get("app")).median(),
                new Stats(ratios).median(), new Stats(ratios).min(), new Stats(ratios).max(),
                new Stats(threadCpuPerOperation.get("app")).median()
                        / new Stats(threadCpuPerOperation.get("agent")).median());
    }

    /** Three connections made as the timed loop makes them; each must show the profile's subject in a new session. */
    private static void check(Setup setup, String variant, String url) throws Exception {
        ChildRun child = requireSuccess(ChildRun.run(setup.command(variant, "check", url), 600));
        List<String> answers = child.lines("answer=");
        String cn = setup.subject.substring(setup.subject.indexOf("CN=") + 3).split(",")[0];
        for (String answer : answers) {
            boolean openssl = answer.contains("Protocol");
            boolean presented = openssl ? answer.contains("Client certificate") && !answer.contains("no client certificate")
                    && answer.contains("New, ") : answer.contains(setup.subject);
            if (!presented) {
                throw new IllegalStateException(variant + ": the server did not see " + cn + " in a new session: "
                        + child);
            }
        }
        if (answers.size() != 3) {
            throw new IllegalStateException(variant + ": expected three answers: " + child);
        }
    }

    /** What every run shares. */
    private static final class Setup {
        final Path java;
        final Path agent;
        final Path profiles;
        final Path trustStore;
        final Path keyStore;
        final String subject;
        final int rounds;
        final int warmup;
        final int seconds;

        Setup(Path java, Path agent, Path profiles, Path trustStore, Path keyStore, String subject, int rounds,
                int warmup, int seconds) {
            this.java = java;
            this.agent = agent;
            this.profiles = profiles;
            this.trustStore = trustStore;
            this.keyStore = keyStore;
            this.subject = subject;
            this.rounds = rounds;
            this.warmup = warmup;
            this.seconds = seconds;
        }

        List<String> command(String variant, String mode, String url) throws URISyntaxException {
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            // s_server keeps a connection open after its page until the client's close_notify (see the ITs).
            command.add("-Djdk.tls.acknowledgeCloseNotify=true");
            if (variant.equals("agent")) {
                // Default options, as deployed: the reload timer (30 s) and the JMX bean (2 s after start,
                // during the warm-up) included.
                command.add("-javaagent:" + agent.toAbsolutePath() + "=profiles=" + profiles);
            }
            command.add("-cp");
            command.add(Path.of(HandshakeClient.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
            command.add(HandshakeClient.class.getName());
            command.addAll(List.of(mode, variant, url, trustStore.toString(), keyStore.toString(), PASSWORD,
                    String.valueOf(warmup), String.valueOf(seconds)));
            return command;
        }
    }

    private static ChildRun requireSuccess(ChildRun child) {
        if (child.exitCode != 0) {
            throw new IllegalStateException("child JVM failed: " + child);
        }
        return child;
    }
}
