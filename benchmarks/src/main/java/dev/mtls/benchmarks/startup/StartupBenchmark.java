package dev.mtls.benchmarks.startup;

import dev.mtls.benchmarks.ChildRun;
import dev.mtls.benchmarks.CountingTrustManager;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.benchmarks.Stats;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Start-up cost of the agent: a fresh JVM that makes one mutual-TLS request with
 * {@code HttpsURLConnection} and exits, with the agent, against the fair baseline — the same key
 * and chain given the JDK's way ({@code -Djavax.net.ssl.keyStore}). Both variants alternate, run
 * by run, so drift on a shared machine hits both alike; the first rounds are discarded. Reports
 * medians (and quartiles) of the wall time of the whole process and of the CPU time the child
 * used up to the end of its main (every thread), per JDK.
 *
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.startup.StartupBenchmark \
 *     [--runs 20] [--warmup 2] [--agent agent/target/mtls-agent.jar[=more,agent=options] ...]
 *     [--java /path/to/bin/java ...] [--classes] [--hello] [--server | --server-only]
 *     [--jvm-arg -Xshare:auto ...] [--hookless-agent JAR]
 * </pre>
 *
 * Given several {@code --agent} jars (say one built from main and one from a branch), each is a
 * variant of its own in the same alternation, so a before/after comparison shares the machine's
 * conditions. {@code --classes} adds one run of each variant with {@code -Xlog:class+load} and prints how
 * many classes each loaded, and the agent's extra classes by library. {@code --hello} adds a JVM that
 * never uses TLS, without the agent and with it set as a fleet would (JAVA_TOOL_OPTIONS, a valid
 * profile file); peak RSS is the child's VmHWM at the end of its main. {@code --server} adds a server
 * JVM ({@link StartupServer}: a JDK HttpsServer written without client auth, serving one request)
 * without the agent, the same server requiring client certificates itself (the fair baseline for
 * a listener), with the agent and a file without listeners, and with the agent and a file
 * that adds a {@code mandatory} listener on the server's port: the last two differ only by the
 * listener, so their difference is the start-up cost of the server-side hooks. Each run checks the
 * subject the server reports: the client's under the listener, {@code none} without it.
 * {@code --server-only} runs these alone. The server variants also run the agent without listeners
 * while the application requires client certificates itself (against the listener: what the listener
 * path adds beyond mutual TLS), and, given {@code --hookless-agent} (a jar built from before the server
 * hooks), that jar without listeners (against the current one: what the hooks cost a server JVM).
 */
public final class StartupBenchmark {
    /** Where the tests' default (the root pom's mtls.test.jdks) finds a second JDK. */
    private static final Path JDK_25_HOME = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    private static final String PASSWORD = "changeit";
    /** Marks a variant entry that is an environment variable for the child, not a JVM argument. */
    private static final String ENVIRONMENT = "env:";
    /** Marks a variant entry that is the client subject a {@link StartupServer} child must report, not a JVM argument. */
    private static final String EXPECT = "expect:";

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 20;
        int warmup = 2;
        boolean classes = false;
        boolean hello = false;
        boolean servers = false;
        boolean serverOnly = false;
        String hookless = null;
        List<String> agents = new ArrayList<>();
        List<Path> javas = new ArrayList<>();
        List<String> jvmArguments = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs": runs = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--agent": agents.add(args[++i]); break;
                case "--java": javas.add(Path.of(args[++i])); break;
                case "--jvm-arg": jvmArguments.add(args[++i]); break;
                case "--classes": classes = true; break;
                case "--hello": hello = true; break;
                case "--server": servers = true; break;
                case "--server-only": servers = true; serverOnly = true; break;
                case "--hookless-agent": hookless = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (agents.isEmpty()) {
            agents.add("agent/target/mtls-agent.jar");
        }
        for (String agent : agents) {
            if (!Files.isRegularFile(jar(agent))) {
                throw new IllegalArgumentException(jar(agent).toAbsolutePath()
                        + " is not built: mvn -pl provider,agent package");
            }
        }
        if (javas.isEmpty()) {
            javas.addAll(defaultJavas());
        }
        Path dir = Files.createTempDirectory("mtls-startup");
        TestCertificate ca = TestPki.rootCa("Startup CA").create();
        TestCertificate client = ca.issue("startup-client").clientAuth().create();
        client.writeChain(dir.resolve("client-chain.pem"));
        TestPki.ownerOnly(client.writePkcs8Key(dir.resolve("client.key")));
        Path keyStore = client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", PASSWORD, PASSWORD, "client");
        Path trustStore = TestPki.writeTrustStore(dir.resolve("truststore.p12"), "PKCS12", PASSWORD, ca.certificate());
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n");
        System.out.printf("start-up: JVM start + one mTLS request (HttpsURLConnection); %d runs per variant after %d"
                + " discarded; load average %s at start%n", runs, warmup, ChildRun.loadAverage());
        try (JdkTlsServer server = CountingTrustManager.requiringServer(
                ca.issueLocalhostServer(), ca, new AtomicLong())) {
            for (Path java : javas) {
                Map<String, List<String>> variants = new LinkedHashMap<>();
                List<String> trust = List.of("-Djavax.net.ssl.trustStore=" + trustStore,
                        "-Djavax.net.ssl.trustStorePassword=" + PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12");
                List<String> baseline = new ArrayList<>(trust);
                baseline.addAll(List.of("-Djavax.net.ssl.keyStore=" + keyStore,
                        "-Djavax.net.ssl.keyStorePassword=" + PASSWORD, "-Djavax.net.ssl.keyStoreType=PKCS12"));
                variants.put("javax.net.ssl.keyStore", baseline);
                for (String agent : agents) {
                    List<String> withAgent = new ArrayList<>(trust);
                    String options = agent.contains("=") ? "," + agent.substring(agent.indexOf('=') + 1) : "";
                    withAgent.add("-javaagent:" + jar(agent).toAbsolutePath() + "=profiles=" + profiles + options);
                    // Several jars (say main's and a branch's) are told apart by file name and options.
                    variants.put(agents.size() == 1 ? "agent" : "agent " + jar(agent).getFileName() + options,
                            withAgent);
                }
                if (!serverOnly) {
                    measure(java, variants, jvmArguments, server, client.subject(), runs, warmup);
                }
                if (classes) {
                    countClasses(java, variants, jvmArguments, server, dir);
                }
                if (hello) {
                    // As a fleet sets it: the agent and its options in JAVA_TOOL_OPTIONS, the JVM never using TLS.
                    Map<String, List<String>> plain = new LinkedHashMap<>();
                    plain.put("no TLS, no agent", List.of());
                    for (String agent : agents) {
                        String options = agent.contains("=") ? "," + agent.substring(agent.indexOf('=') + 1) : "";
                        plain.put("no TLS, agent in JAVA_TOOL_OPTIONS" + (agents.size() == 1 ? ""
                                : " " + jar(agent).getFileName() + options), List.of(ENVIRONMENT
                                + "JAVA_TOOL_OPTIONS=-javaagent:" + jar(agent).toAbsolutePath() + "=profiles="
                                + profiles + options));
                    }
                    measure(java, plain, jvmArguments, server, null, runs, warmup);
                }
                if (servers) {
                    measure(java, serverVariants(agents, hookless, dir, ca, client), jvmArguments, null, null, runs, warmup);
                }
            }
        }
        System.out.printf("load average %s at the end%n", ChildRun.loadAverage());
    }

    private static void measure(Path java, Map<String, List<String>> variants, List<String> jvmArguments,
            JdkTlsServer server, String subject, int runs, int warmup) throws Exception {
        Map<String, List<Double>> wall = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        Map<String, List<Double>> rss = new LinkedHashMap<>();
        int request = 0;
        for (int run = -warmup; run < runs; run++) {
            for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                String path = "/startup/" + request++;
                String expected = expected(variant.getValue());
                List<String> command = command(java, variant.getValue(), jvmArguments, expected != null
                        ? List.of(StartupServer.class.getName(), variant.getValue().get(0), variant.getValue().get(1),
                                variant.getValue().get(2))
                        : List.of(StartupClient.class.getName(), subject == null ? "hello" : server.url("localhost", path)));
                long start = System.nanoTime();
                ChildRun child = ChildRun.run(command, environment(variant.getValue()), 120);
                double millis = (System.nanoTime() - start) / 1e6;
                if (expected != null) {
                    if (child.exitCode != 0 || !expected.equals(child.value("subject"))) {
                        throw new IllegalStateException("the " + variant.getKey() + " server should have reported "
                                + expected + ": " + child);
                    }
                } else if (child.exitCode != 0 || subject != null && !subject.equals(server.subjectSeen(path))) {
                    throw new IllegalStateException("the " + variant.getKey() + " run did not present " + subject
                            + " (server saw " + server.subjectSeen(path) + "): " + child);
                }
                if (run >= 0) {
                    wall.computeIfAbsent(variant.getKey(), key -> new ArrayList<>()).add(millis);
                    cpu.computeIfAbsent(variant.getKey(), key -> new ArrayList<>()).add(Double.parseDouble(child.value("cpuMillis")));
                    rss.computeIfAbsent(variant.getKey(), key -> new ArrayList<>())
                            .add(Double.parseDouble(child.value("peakRssKiB")) / 1024);
                }
            }
        }
        System.out.println();
        System.out.println(java + " (" + version(java) + ")");
        System.out.printf("  %-44s %-26s %-26s %-26s%n", "variant", "wall ms, median (IQR)", "CPU ms, median (IQR)",
                "peak RSS MiB, median (IQR)");
        for (String name : variants.keySet()) {
            System.out.printf("  %-44s %-26s %-26s %-26s%n", name, new Stats(wall.get(name)).summary("%.0f"),
                    new Stats(cpu.get(name)).summary("%.0f"), new Stats(rss.get(name)).summary("%.1f"));
        }
        List<String> names = new ArrayList<>(variants.keySet());
        String baseline = names.get(0);
        for (String name : names.subList(1, names.size())) {
            System.out.printf("  %s - baseline: wall %+.0f ms, CPU %+.0f ms, peak RSS %+.1f MiB (difference of medians);"
                    + " paired: wall %+.0f ms, CPU %+.0f ms (median of per-round differences)%n", name,
                    new Stats(wall.get(name)).median() - new Stats(wall.get(baseline)).median(),
                    new Stats(cpu.get(name)).median() - new Stats(cpu.get(baseline)).median(),
                    new Stats(rss.get(name)).median() - new Stats(rss.get(baseline)).median(),
                    pairedDifference(wall.get(baseline), wall.get(name)),
                    pairedDifference(cpu.get(baseline), cpu.get(name)));
        }
        for (int i = 1; i < names.size(); i++) {
            // The variants after the baseline also with each other: say the agent with a listener
            // against the same agent without one, or against the application requiring certificates itself.
            for (int j = i + 1; j < names.size(); j++) {
                String before = names.get(i);
                String name = names.get(j);
                System.out.printf("  %s - %s: paired wall %+.0f ms, CPU %+.0f ms, peak RSS %+.1f MiB (difference of"
                        + " medians)%n", name, before, pairedDifference(wall.get(before), wall.get(name)),
                        pairedDifference(cpu.get(before), cpu.get(name)),
                        new Stats(rss.get(name)).median() - new Stats(rss.get(before)).median());
            }
        }
    }

    /**
     * The server JVM without the agent (asking for no client certificate, and requiring one itself),
     * with the agent, and with the agent and a listener (the server's port, directory and
     * {@code plain|need} are the first three entries of each variant, before the {@value #EXPECT} entry). The
     * files differ only by the listener; their one profile is for a host the run never calls, so
     * the client inside the server JVM presents its own key everywhere, and the server asks for it
     * only under the listener.
     */
    private static Map<String, List<String>> serverVariants(List<String> agents, String hookless, Path dir,
            TestCertificate ca, TestCertificate client) throws IOException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ca.issueLocalhostServer().writeKeyStore(dir.resolve("server.p12"), "PKCS12", PASSWORD, PASSWORD, "server");
        TestPki.writePem(dir.resolve("client-ca.pem"), ca.certificate());
        String unrelatedProfile = "version: 1\nprofiles:\n  - name: elsewhere\n    hosts: [elsewhere.example]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n";
        Path withoutListeners = Files.writeString(dir.resolve("server-no-listeners.yaml"), unrelatedProfile);
        Path withListener = Files.writeString(dir.resolve("server-listener.yaml"), unrelatedProfile + "listeners:\n"
                + "  - name: https\n    ports: [" + port + "]\n    clientAuth: mandatory\n"
                + "    trust: {certificates: client-ca.pem}\n"
                + "    allow:\n      - subject: \"" + client.subject() + "\"\n");
        List<String> common = List.of(Integer.toString(port), dir.toString(), "plain");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("server, no agent", concat(common, EXPECT + "none"));
        // The fair baseline for the listener: the same handshake, client certificate and all, configured by the app.
        variants.put("server, no agent, setNeedClientAuth(true)", List.of(Integer.toString(port), dir.toString(),
                "need", EXPECT + client.subject()));
        if (hookless != null) {
            // A build from before the server-side hooks: against "agent, no listeners", what the hooks
            // cost a server JVM that has no listener.
            variants.put("server, agent without server hooks, no listeners", concat(common, EXPECT + "none",
                    "-javaagent:" + jar(hookless).toAbsolutePath() + "=profiles=" + withoutListeners));
        }
        for (String agent : agents) {
            String options = agent.contains("=") ? "," + agent.substring(agent.indexOf('=') + 1) : "";
            String suffix = agents.size() == 1 ? "" : " " + jar(agent).getFileName() + options;
            String javaagent = "-javaagent:" + jar(agent).toAbsolutePath() + "=profiles=";
            variants.put("server, agent, no listeners" + suffix,
                    concat(common, EXPECT + "none", javaagent + withoutListeners + options));
            // The same mutual TLS as under the listener, configured by the application, under the same
            // agent: against the listener, what the listener path adds beyond the handshake itself.
            variants.put("server, agent, no listeners, setNeedClientAuth(true)" + suffix, List.of(
                    Integer.toString(port), dir.toString(), "need", EXPECT + client.subject(),
                    javaagent + withoutListeners + options));
            variants.put("server, agent, mandatory listener" + suffix,
                    concat(common, EXPECT + client.subject(), javaagent + withListener + options));
        }
        return variants;
    }

    private static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    /** The subject a server child must report ({@value #EXPECT} entry), or null for a client child. */
    private static String expected(List<String> variant) {
        for (String entry : variant) {
            if (entry.startsWith(EXPECT)) {
                return entry.substring(EXPECT.length());
            }
        }
        return null;
    }

    /** Runs of one round are neighbours in time, so their difference cancels most of the machine's drift. */
    private static double pairedDifference(List<Double> baseline, List<Double> other) {
        List<Double> differences = new ArrayList<>();
        for (int i = 0; i < baseline.size(); i++) {
            differences.add(other.get(i) - baseline.get(i));
        }
        return new Stats(differences).median();
    }

    private static void countClasses(Path java, Map<String, List<String>> variants, List<String> jvmArguments,
            JdkTlsServer server, Path dir) throws Exception {
        System.out.println("  classes loaded (one run each, -Xlog:class+load):");
        for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
            Path log = dir.resolve("classes-" + variant.getKey().replaceAll("\\W", "_") + ".log");
            List<String> arguments = new ArrayList<>(jvmArguments);
            arguments.add("-Xlog:class+load:file=" + log);
            ChildRun child = ChildRun.run(command(java, variant.getValue(), arguments,
                    List.of(StartupClient.class.getName(), server.url("localhost", "/classes"))),
                    environment(variant.getValue()), 120);
            if (child.exitCode != 0) {
                throw new IllegalStateException(child.toString());
            }
            Map<String, Integer> byLibrary = new TreeMap<>();
            int total = 0;
            for (String line : Files.readAllLines(log)) {
                String[] fields = line.split(" ");
                if (fields.length < 2) {
                    continue;
                }
                total++;
                String name = fields[1];
                String library = name.startsWith("dev.mtls.shaded.") ? name.split("\\.")[3]
                        : name.startsWith("dev.mtls.") ? "dev.mtls" : name.contains("$$Lambda") || name.contains(
                                "LambdaForm$") ? "lambda forms and lambdas" : null;
                if (library != null) {
                    byLibrary.merge(library, 1, Integer::sum);
                }
            }
            System.out.printf("    %-34s %5d  %s%n", variant.getKey(), total, byLibrary);
        }
    }

    /** The variant's entries that are environment variables ({@value #ENVIRONMENT}NAME=VALUE) rather than JVM arguments. */
    private static Map<String, String> environment(List<String> variant) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String entry : variant) {
            if (entry.startsWith(ENVIRONMENT)) {
                int equals = entry.indexOf('=');
                environment.put(entry.substring(ENVIRONMENT.length(), equals), entry.substring(equals + 1));
            }
        }
        return environment;
    }

    /** "JAR" or "JAR=OPTIONS": the jar. */
    /** The tests' JDKs (root pom, mtls.test.jdks): java homes or executables; the same default without it. */
    private static List<Path> defaultJavas() throws IOException {
        String listed = System.getProperty("mtls.test.jdks", "").trim();
        if (listed.isEmpty()) {
            listed = System.getProperty("java.home");
            if (Files.isExecutable(JDK_25_HOME.resolve("bin/java"))) {
                listed += "," + JDK_25_HOME;
            }
        }
        Map<Path, Path> javas = new LinkedHashMap<>();
        for (String entry : listed.split(",")) {
            if (!entry.isBlank()) {
                Path path = Path.of(entry.trim());
                Path java = Files.isDirectory(path) ? path.resolve("bin").resolve("java") : path;
                if (!Files.isExecutable(java)) {
                    throw new IllegalArgumentException("mtls.test.jdks lists '" + entry.trim()
                            + "', which is neither a java home nor a java executable");
                }
                javas.putIfAbsent(java.toRealPath(), java);
            }
        }
        return new ArrayList<>(javas.values());
    }

    private static Path jar(String agent) {
        return Path.of(agent.contains("=") ? agent.substring(0, agent.indexOf('=')) : agent);
    }

    /** {@code program}: the main class and its arguments. */
    private static List<String> command(Path java, List<String> variant, List<String> jvmArguments,
            List<String> program) throws URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArguments);
        for (String argument : variant) {
            // JVM arguments only: a server variant's port and directory are the program's.
            if (argument.startsWith("-")) {
                command.add(argument);
            }
        }
        command.add("-cp");
        command.add(Path.of(StartupClient.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString());
        command.addAll(program);
        return command;
    }

    private static String version(Path java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        String[] lines = output.split("\\R");
        return lines.length > 1 ? lines[1].trim() : output.trim();
    }

}
