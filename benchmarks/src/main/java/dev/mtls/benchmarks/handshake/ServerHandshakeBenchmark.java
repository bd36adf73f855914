package dev.mtls.benchmarks.handshake;

import dev.mtls.benchmarks.ChildRun;
import dev.mtls.benchmarks.Stats;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Full server handshakes per second with the agent forcing client auth, against the fair
 * baseline: the same server requiring client certificates itself. Each variant is a child JVM
 * running {@link ServerHandshakeChild} (client and server {@code SSLEngine}s in memory, one
 * thread, no sockets, a new session every time):
 * <ul>
 *   <li>{@code app}: no agent; the server calls {@code setNeedClientAuth(true)} and trusts the
 *       client CA through its own trust manager;
 *   <li>{@code agent}: the server has no client-auth code and no trust managers; the agent runs
 *       with a file holding one {@code mandatory} listener (no ports, so it covers every server
 *       handshake of the JVM, including these portless engines) trusting the same CA, with one
 *       allow-list entry, the client's subject;
 *   <li>{@code agent-own-trust} (with {@code --own-trust}): as {@code agent}, but the application
 *       passes its trust manager over the client CA instead of {@code null}, so the JVM's default
 *       CAs are not among those the certificate request lists.
 * </ul>
 * In memory, because on a shared two-core machine a socket benchmark's client, server and
 * scheduler spread the rounds by tens of per cent; here the whole handshake (client and server
 * side) is on one thread, and the agent's share of the server side is what differs. Each child
 * checks before it counts that the server saw the client's subject and that a client without a
 * certificate is refused; the harness refuses to count a child that did not show both. The
 * variants alternate child by child (ABBA), each child warms up and then reports the median of
 * its slices; per round the ratio agent/app of two neighbouring children is taken.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.handshake.ServerHandshakeBenchmark \
 *     [--rounds 6] [--warmup 15] [--slices 5] [--seconds 2] [--protocol TLSv1.3 ...]
 *     [--agent agent/target/mtls-agent.jar] [--java /path/to/bin/java ...] [--own-trust]
 * </pre>
 */
public final class ServerHandshakeBenchmark {
    private static final String PASSWORD = "changeit";
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "app", "app: setNeedClientAuth(true), own trust manager",
            "agent", "agent: mandatory listener",
            "agent-own-trust", "agent: listener, app passes its CA's trust");

    private ServerHandshakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 6;
        boolean ownTrust = false;
        String warmup = "15";
        String slices = "5";
        String seconds = "2";
        Path agent = Path.of("agent/target/mtls-agent.jar");
        List<Path> javas = new ArrayList<>();
        List<String> protocols = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = args[++i]; break;
                case "--slices": slices = args[++i]; break;
                case "--seconds": seconds = args[++i]; break;
                case "--agent": agent = Path.of(args[++i]); break;
                case "--java": javas.add(Path.of(args[++i])); break;
                case "--protocol": protocols.add(args[++i]); break;
                case "--own-trust": ownTrust = true; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException(agent.toAbsolutePath() + " is not built: mvn -pl provider,agent package");
        }
        if (javas.isEmpty()) {
            javas.add(Path.of(System.getProperty("java.home"), "bin", "java"));
        }
        if (protocols.isEmpty()) {
            protocols.add("TLSv1.3");
        }
        Path dir = Files.createTempDirectory("mtls-server-handshakes");
        TestCertificate ca = TestPki.rootCa("Listener CA").create();
        TestCertificate client = ca.issue("listener-client").clientAuth().create();
        ca.issueLocalhostServer().writeKeyStore(dir.resolve("server.p12"), "PKCS12", PASSWORD, PASSWORD, "server");
        client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", PASSWORD, PASSWORD, "client");
        TestPki.writeTrustStore(dir.resolve("truststore.p12"), "PKCS12", PASSWORD, ca.certificate());
        TestPki.writePem(dir.resolve("client-ca.pem"), ca.certificate());
        Path listeners = Files.writeString(dir.resolve("listeners.yaml"), "version: 1\nlisteners:\n"
                + "  - name: every-server\n    clientAuth: mandatory\n"
                + "    trust: {certificates: client-ca.pem}\n"
                + "    allow:\n      - subject: \"" + client.subject() + "\"\n");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("app", List.of());
        variants.put("agent", List.of("-javaagent:" + agent.toAbsolutePath() + "=profiles=" + listeners));
        if (ownTrust) {
            variants.put("agent-own-trust", variants.get("agent"));
        }
        System.out.printf("server handshakes: in-memory full handshakes in a child JVM per variant, %d rounds (%s s"
                + " warm-up, %s slices of %s s each); load average %s at start%n", rounds, warmup, slices, seconds,
                ChildRun.loadAverage());
        for (Path java : javas) {
            for (String protocol : protocols) {
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                Map<String, List<Double>> ratios = new LinkedHashMap<>();
                Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
                for (int round = 0; round < rounds; round++) {
                    List<String> order = new ArrayList<>(variants.keySet());
                    for (int turn = 0; turn < round % order.size(); turn++) {
                        // ABBA (or a rotation of three): whichever went first in one round goes last in the next.
                        order.add(order.remove(0));
                    }
                    Map<String, Double> thisRound = new LinkedHashMap<>();
                    Map<String, Double> thisRoundCpu = new LinkedHashMap<>();
                    for (String variant : order) {
                        List<String> command = new ArrayList<>();
                        command.add(java.toString());
                        command.addAll(variants.get(variant));
                        command.addAll(List.of("-cp", classes(), ServerHandshakeChild.class.getName(), variant,
                                dir.toString(), protocol, warmup, slices, seconds));
                        ChildRun child = ChildRun.run(command, 600);
                        requireClientAuth(child, variant, protocol, client);
                        double rate = new Stats(numbers(child.lines("rate="))).median();
                        thisRound.put(variant, rate);
                        rates.computeIfAbsent(variant, key -> new ArrayList<>()).add(rate);
                        double cpuPerHandshake = new Stats(numbers(child.lines("cpu="))).median();
                        thisRoundCpu.put(variant, cpuPerHandshake);
                        cpu.computeIfAbsent(variant, key -> new ArrayList<>()).add(cpuPerHandshake);
                    }
                    for (String variant : variants.keySet()) {
                        if (!variant.equals("app")) {
                            ratios.computeIfAbsent(variant, key -> new ArrayList<>())
                                    .add(thisRound.get(variant) / thisRound.get("app"));
                            cpuRatios.computeIfAbsent(variant, key -> new ArrayList<>())
                                    .add(thisRoundCpu.get("app") / thisRoundCpu.get(variant));
                        }
                    }
                }
                System.out.println();
                System.out.println(java + ", " + protocol);
                for (String variant : variants.keySet()) {
                    System.out.printf("  %-48s %s /s   thread CPU µs/handshake %s%n", DESCRIPTIONS.get(variant),
                            new Stats(rates.get(variant)).summary("%.1f"), new Stats(cpu.get(variant)).summary("%.0f"));
                }
                for (String variant : ratios.keySet()) {
                    Stats ratio = new Stats(ratios.get(variant));
                    System.out.printf("  %s/app: %.3f (ratio of medians), %.3f (median of per-round ratios, range"
                            + " %.3f–%.3f); load average %s%n", variant, new Stats(rates.get(variant)).median()
                            / new Stats(rates.get("app")).median(), ratio.median(), ratio.min(), ratio.max(),
                            ChildRun.loadAverage());
                    // Thread CPU per handshake is far less disturbed by other processes than the rate.
                    Stats cpuRatio = new Stats(cpuRatios.get(variant));
                    System.out.printf("  by thread CPU per handshake, app/%s (the same ratio in handshakes per CPU"
                            + " second): %.3f (ratio of medians), %.3f (median of per-round ratios, range %.3f–%.3f)%n",
                            variant, new Stats(cpu.get("app")).median() / new Stats(cpu.get(variant)).median(),
                            cpuRatio.median(), cpuRatio.min(), cpuRatio.max());
                }
            }
        }
    }

    /** A child counts only if its server saw the client's certificate and refused a client without one. */
    private static void requireClientAuth(ChildRun child, String variant, String protocol, TestCertificate client) {
        if (child.exitCode != 0 || !client.subject().equals(child.value("subject"))
                || !protocol.equals(child.value("protocol")) || child.value("refused").equals("no")) {
            throw new IllegalStateException("the " + variant + " server did not require and see " + client.subject()
                    + " over " + protocol + ": " + child);
        }
    }

    private static List<Double> numbers(List<String> lines) {
        List<Double> numbers = new ArrayList<>();
        for (String line : lines) {
            numbers.add(Double.parseDouble(line));
        }
        return numbers;
    }

    /** Only the benchmark's own classes: the agent variant must get the provider from the agent jar alone. */
    private static String classes() throws Exception {
        return Path.of(ServerHandshakeChild.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
