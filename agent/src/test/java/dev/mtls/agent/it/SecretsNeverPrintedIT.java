package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.itapps.JmxProbeApp;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promise that no secret is ever printed, tested as an attacker of it would: distinctive
 * random values in every position a secret can take (literal passwords, passwords from
 * {@code ${env:}}, {@code ${sys:}} and {@code ${file:}}, and references to those from every field
 * that is not a password), in both formats and in files that do not even parse, and every output
 * channel driven: {@code check}, {@code which}, {@code probe}, the agent's log at {@code debug},
 * the JMX attributes, the exceptions applications get from failed handshakes, and {@code attach}.
 * No value, nor any 4-character slice of one, may appear in anything any of them printed.
 */
class SecretsNeverPrintedIT extends WithBackends {
    /** Letters that no English word, path, date or hex string in the output strings together. */
    private static final String ALPHABET = "QXZJKVW";
    private static final String ENV_NAME = "IT_SECRET_ENV";
    private static final String SYS_NAME = "it.secret.sys";
    private static final String STORE_PASSWORD = "store-pass";

    /** Every field that is not a password, holding a reference (REF), one profile each; lines split at |. */
    private static final String[] YAML_FIELDS = {"identity.certificate", "identity.key", "identity.keystore",
        "identity.storeType", "identity.alias", "trust.certificates", "trust.keystore", "trust.storeType", "hosts",
        "mode"};
    private static final String[] YAML_POSITIONS = {
        "    hosts: [a.invalid]|    identity:|      certificate: REF|      key: client.key",
        "    hosts: [b.invalid]|    identity:|      certificate: client-chain.pem|      key: REF",
        "    hosts: [c.invalid]|    identity:|      keystore: REF",
        "    hosts: [d.invalid]|    identity:|      keystore: client.p12|      storeType: REF",
        "    hosts: [e.invalid]|    identity:|      keystore: client.p12|      alias: REF",
        "    hosts: [f.invalid]|    trust:|      certificates: REF",
        "    hosts: [g.invalid]|    trust:|      keystore: REF",
        "    hosts: [h.invalid]|    trust:|      keystore: trust.p12|      storeType: REF",
        "    hosts: [\"REF\"]|    trust:|      certificates: client-chain.pem",
        "    hosts: [i.invalid]|    mode: REF|    trust:|      certificates: client-chain.pem",
    };
    /** The same for the WSO2 format, one profile element each. */
    private static final String[] WSO2_FIELDS = {"KeyStore/Location", "KeyStore/Type", "TrustStore/Location",
        "TrustStore/Type", "servers"};
    private static final String[] WSO2_POSITIONS = {
        "<servers>j.invalid</servers><KeyStore><Location>REF</Location></KeyStore>",
        "<servers>k.invalid</servers><KeyStore><Location>client.p12</Location><Type>REF</Type></KeyStore>",
        "<servers>l.invalid</servers><TrustStore><Location>REF</Location></TrustStore>",
        "<servers>m.invalid</servers><TrustStore><Location>trust.p12</Location><Type>REF</Type></TrustStore>",
        "<servers>REF</servers><TrustStore><Location>trust.p12</Location></TrustStore>",
    };

    /** A host whose message would start a line of its own and clear the screen, were it printed raw. */
    private static final String FORGED_HOST = "x.invalid\\nerror: forged by a host\\u001b[2J";

    private static final Map<String, String> SECRETS = new LinkedHashMap<>();
    private static Path yaml;
    private static Path wso2;
    private static Path starYaml;
    private static Path ampersandXml;

    @BeforeAll
    static void writeProfilesFullOfSecrets() throws Exception {
        SecureRandom random = new SecureRandom();
        for (String name : List.of("env", "sys", "file", "keyPassword", "trustPassword", "unknownRefBefore",
                "unknownRefInside", "unterminatedBefore", "unterminatedAfter", "wso2Password", "wso2KeyPassword",
                "wso2UnknownRef", "star", "ampersandBefore", "ampersandAfter")) {
            StringBuilder value = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            SECRETS.put(name, value.toString());
        }
        Files.writeString(directory.resolve("secret.txt"), secret("file") + "\n");
        // The JDK's logging prints INFO and above unless told otherwise; log=debug must reach stderr.
        Files.writeString(directory.resolve("debug-logging.properties"), String.join("\n",
                "handlers=java.util.logging.ConsoleHandler", ".level=INFO", "dev.mtls.level=ALL",
                "java.util.logging.ConsoleHandler.level=ALL",
                ""));
        setup.client.writeEncryptedPkcs8Key(directory.resolve("client-enc.key"), "the-right-key-password");
        setup.client.writeKeyStore(directory.resolve("client.p12"), "PKCS12", STORE_PASSWORD, STORE_PASSWORD,
                "client");
        setup.client.writeKeyStore(directory.resolve("client.jks"), "JKS", STORE_PASSWORD, STORE_PASSWORD,
                "client");
        Files.copy(setup.trustStore, directory.resolve("trust.p12"));
        String required = Integer.toString(backends.required.port());
        String optional = Integer.toString(backends.optional.port());
        String env = "${env:" + ENV_NAME + "}";
        String sys = "${sys:" + SYS_NAME + "}";
        String file = "${file:secret.txt}";

        List<String> yamlLines = new ArrayList<>(List.of(
                "version: 1",
                "profiles:",
                "  - name: literal-key-password",
                "    hosts: [localhost:" + required + "]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: client-enc.key",
                "      keyPassword: " + secret("keyPassword"),
                "  - name: env-and-sys-passwords",
                "    hosts: [127.0.0.1:" + required + "]",
                "    identity:",
                "      keystore: client.p12",
                "      storePassword: " + env,
                "      keyPassword: " + sys,
                "  - name: file-password",
                "    hosts: [localhost:" + optional + "]",
                "    mode: optional",
                "    identity:",
                "      keystore: client.p12",
                "      storePassword: " + STORE_PASSWORD,
                "      keyPassword: " + file,
                "  - name: literal-trust-password",
                "    hosts: [127.0.0.1:" + optional + "]",
                "    trust:",
                "      keystore: trust.p12",
                "      storePassword: " + secret("trustPassword"),
                "  - name: unknown-reference-in-password",
                "    hosts: [unknown.invalid]",
                "    identity:",
                "      keystore: client.p12",
                "      storePassword: " + secret("unknownRefBefore") + "${" + secret("unknownRefInside") + "}",
                "  - name: unterminated-reference-in-password",
                "    hosts: [unterminated.invalid]",
                "    identity:",
                "      keystore: client.p12",
                "      storePassword: " + secret("unterminatedBefore") + "${" + secret("unterminatedAfter"),
                "  - name: unterminated-reference-in-password-end",
                "    hosts: [unterminated-end.invalid]",
                "    identity: {keystore: client.p12, storePassword: \"" + secret("unterminatedBefore") + "$${"
                        + secret("unterminatedAfter") + "${\"}"));
        // Not a secret, but the same promise about messages: a host cannot forge a line or drive the terminal.
        yamlLines.addAll(List.of("  - name: control-characters", "    hosts: [\"" + FORGED_HOST + "\"]",
                "    trust: {certificates: client-chain.pem}"));
        // One profile per position: a profile reports its first problem only.
        String[] references = {env, sys, file};
        for (int i = 0; i < YAML_POSITIONS.length; i++) {
            yamlLines.add("  - name: reference-" + i);
            yamlLines.addAll(List.of(YAML_POSITIONS[i].replace("REF", references[i % references.length])
                    .split("\\|")));
        }
        yaml = write("secrets.yaml", yamlLines.toArray(new String[0]));
        List<String> wso2Lines = new ArrayList<>(List.of(
                "<parameter name=\"customSSLProfiles\">",
                "  <profile><servers>localhost:" + required + "</servers>",
                "    <KeyStore><Location>client.jks</Location><Type>JKS</Type>",
                "      <Password>" + secret("wso2Password") + "</Password>",
                "      <KeyPassword>" + secret("wso2KeyPassword") + "</KeyPassword></KeyStore></profile>",
                "  <profile><servers>127.0.0.1:" + required + "</servers>",
                "    <KeyStore><Location>client.p12</Location>",
                "      <Password>" + env + "</Password><KeyPassword>" + file + "</KeyPassword></KeyStore>",
                "    <TrustStore><Location>trust.p12</Location><Password>" + sys + "</Password></TrustStore>",
                "  </profile>",
                "  <profile><servers>localhost:" + optional + "</servers>",
                "    <KeyStore><Location>client.p12</Location>",
                "      <Password>" + STORE_PASSWORD + "${" + secret("wso2UnknownRef") + "}</Password></KeyStore>",
                "  </profile>"));
        for (int i = 0; i < WSO2_POSITIONS.length; i++) {
            wso2Lines.add("  <profile>" + WSO2_POSITIONS[i].replace("REF", references[i % references.length])
                    + "</profile>");
        }
        wso2Lines.add("</parameter>");
        wso2 = write("sslprofiles.xml", wso2Lines.toArray(new String[0]));
        starYaml = write("star.yaml",
                "version: 1",
                "profiles:",
                "  - name: star",
                "    hosts: [localhost]",
                "    identity:",
                "      keystore: client.p12",
                "      storePassword: *" + secret("star"));
        ampersandXml = write("ampersand.xml",
                "<parameter>",
                "  <profile><servers>localhost</servers>",
                "    <KeyStore><Location>client.p12</Location>",
                "      <Password>" + secret("ampersandBefore") + "&" + secret("ampersandAfter") + "</Password>",
                "    </KeyStore></profile>",
                "</parameter>");
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void noSecretInTheCommandLineTools(Path java) throws Exception {
        Map<String, ChildJvm.Result> runs = new LinkedHashMap<>();
        for (Path file : List.of(yaml, wso2, starYaml, ampersandXml)) {
            runs.put("check " + file.getFileName(), cli(java, "check", file.toString(), "--base",
                    directory.toString()));
        }
        String required = "localhost:" + backends.required.port();
        String requiredByAddress = "127.0.0.1:" + backends.required.port();
        runs.put("which", cli(java, "which", yaml.toString(), required));
        runs.put("probe yaml by name", cli(java, "probe", yaml.toString(), required));
        runs.put("probe yaml by address", cli(java, "probe", yaml.toString(), requiredByAddress));
        runs.put("probe wso2", cli(java, "probe", wso2.toString(), required, "--base", directory.toString()));

        assertNoSecretNorControlCharacter(runs);
        String check = runs.get("check secrets.yaml").stderr;
        for (String field : YAML_FIELDS) {
            assertTrue(check.contains(": " + field + ": ${"), field + " not refused:\n" + check);
        }
        assertTrue(check.contains("profile 'unterminated-reference-in-password': identity.storePassword:"
                + " unterminated '${'"), check);
        assertTrue(check.contains("profile 'unterminated-reference-in-password-end': identity.storePassword:"
                + " unterminated '${'"), check);
        assertTrue(check.contains("storePassword: '${' starts something other than a reference"), check);
        assertTrue(check.contains(FORGED_HOST), check);
        String wso2Check = runs.get("check sslprofiles.xml").stderr;
        for (String field : WSO2_FIELDS) {
            assertTrue(wso2Check.contains(": " + field + ": ${"), field + " not refused:\n" + wso2Check);
        }
        assertTrue(wso2Check.contains("KeyStore/Password: '${' starts something other than a reference"),
                wso2Check);
        String star = runs.get("check star.yaml").toString();
        assertTrue(star.contains(":7: not valid YAML: field storePassword: a value starting with '*'"), star);
        String ampersand = runs.get("check ampersand.xml").toString();
        assertTrue(ampersand.contains(":4: not well-formed XML: near <Password>: a '&' that starts no entity"),
                ampersand);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void noSecretInTheDebugLogNorInHandshakeFailures(Path java) throws Exception {
        Map<String, ChildJvm.Result> runs = new LinkedHashMap<>();
        for (Path file : List.of(yaml, wso2, starYaml, ampersandXml)) {
            runs.put("agent on " + file.getFileName(), withSecrets(setup.trustingClient(ChildJvm.on(java)))
                    .agent("profiles=" + file + ",base=" + directory + ",log=debug")
                    .run(HttpsClientApp.class, urls("/log/" + java.hashCode())));
        }

        assertNoSecretNorControlCharacter(runs);
        ChildJvm.Result result = runs.get("agent on secrets.yaml");
        Map<String, ClientCall> calls = ClientCall.parseAll(result.stdout);
        ClientCall literal = calls.get(ClientCall.key("urlconnection",
                backends.requiredUrl("localhost", "/log/" + java.hashCode())));
        assertTrue(literal != null && !literal.succeeded() && literal.failure().contains("literal-key-password"),
                result.toString());
        assertTrue(result.stderr.contains("FINE: mtls-agent: "), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void noSecretInTheJmxAttributes(Path java) throws Exception {
        Map<String, ChildJvm.Result> runs = new LinkedHashMap<>();
        for (Path file : List.of(yaml, wso2, starYaml)) {
            try (ChildJvm.Running app = withSecrets(setup.trustingClient(ChildJvm.on(java)))
                    .agent("profiles=" + file + ",base=" + directory + ",log=debug").start(JmxProbeApp.class)) {
                app.awaitLine("ready", 1);
                app.send("reload");
                app.awaitLine("reloaded", 1);
                app.send("dump");
                app.awaitLine("dumped", 1);
                app.process.getOutputStream().close();
                ChildJvm.Result result = app.finish();
                assertTrue(result.stdout.contains("LastError="), result.toString());
                runs.put("jmx on " + file.getFileName(), result);
            }
        }

        assertNoSecretNorControlCharacter(runs);
        String yamlDump = runs.get("jmx on secrets.yaml").stdout;
        assertTrue(yamlDump.contains("problem="), yamlDump);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void noSecretInWhatAttachPrints(Path java) throws Exception {
        Map<String, ChildJvm.Result> runs = new LinkedHashMap<>();
        String path = "/attach/" + java.hashCode();
        try (ChildJvm.Running app = withSecrets(setup.trustingClient(ChildJvm.on(java)))
                .jvmArgument("-XX:+IgnoreUnrecognizedVMOptions").jvmArgument("-XX:+EnableDynamicAgentLoading")
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            runs.put("attach command", withSecrets(ChildJvm.on(java)).runAgentJar(directory, "attach",
                    Long.toString(app.process.pid()), "profiles=" + yaml + ",log=debug"));
            app.send(backends.requiredUrl("localhost", path));
            app.awaitLine("done", 1);
            app.send("");
            runs.put("attached application", app.finish());
        }

        assertNoSecretNorControlCharacter(runs);
        String application = runs.get("attached application").stdout;
        assertTrue(application.contains("literal-key-password"), application);
    }

    /** Two client styles to both backends, by name and by address: each routes to another profile. */
    private static String[] urls(String path) {
        return new String[] {"urlconnection,httpclient", backends.requiredUrl("localhost", path),
            backends.requiredUrl("127.0.0.1", path),
            backends.optionalUrl("localhost", path), backends.optionalUrl("127.0.0.1", path)};
    }

    private static ChildJvm.Result cli(Path java, String... arguments) throws Exception {
        return withSecrets(setup.trustingClient(ChildJvm.on(java))).runAgentJar(directory, arguments);
    }

    /** The environment variable and system property the profiles refer to, set as an operator would. */
    private static ChildJvm withSecrets(ChildJvm jvm) {
        return jvm.environment(ENV_NAME, secret("env")).jvmArgument("-D" + SYS_NAME + "=" + secret("sys"))
                .jvmArgument("-Djava.util.logging.config.file=" + directory.resolve("debug-logging.properties"));
    }

    private static String secret(String name) {
        return SECRETS.get(name);
    }

    private static void assertNoSecretNorControlCharacter(Map<String, ChildJvm.Result> runs) {
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, ChildJvm.Result> run : runs.entrySet()) {
            String output = run.getValue().stdout + run.getValue().stderr;
            if (output.contains("\u001b") || output.contains("\nerror: forged")) {
                leaks.add(run.getKey() + " printed a control character from the profile file:\n" + run.getValue());
            }
            // What was printed, not the command line, which holds the -D secret by design.
            String printed = (run.getValue().stdout + "\n" + run.getValue().stderr).toUpperCase(Locale.ROOT);
            for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                String value = secret.getValue();
                for (int i = 0; i + 4 <= value.length(); i++) {
                    String slice = value.substring(i, i + 4);
                    if (printed.contains(slice)) {
                        leaks.add(run.getKey() + " printed '" + slice + "' of secret " + secret.getKey() + ":\n"
                                + run.getValue());
                        break;
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    private static Path write(String name, String... lines) throws Exception {
        return Files.writeString(directory.resolve(name), String.join("\n", lines) + "\n");
    }
}
