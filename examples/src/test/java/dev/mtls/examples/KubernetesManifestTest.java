package dev.mtls.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.ProfileDefinition;
import dev.mtls.profile.ProfileDocument;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.FailsafeSchema;

/**
 * examples/kubernetes/mtls-agent.yaml: every document parses, and the pieces that make rotation work
 * fit together — the Certificate renews a client-auth key into the Secret the Deployment mounts whole,
 * the ConfigMap's profile file is a valid profile file whose key material lives in that mount, and
 * JAVA_TOOL_OPTIONS starts the agent from the jar the init container copies.
 */
class KubernetesManifestTest {
    private static final Path MANIFEST = Path.of(System.getProperty("user.dir"), "kubernetes", "mtls-agent.yaml");
    private static final String AGENT_JAR = "/opt/mtls/mtls-agent.jar";

    private static Map<String, Object> certificate;
    private static Map<String, Object> configMap;
    private static Map<String, Object> deployment;

    @TempDir
    static Path temp;

    @BeforeAll
    static void loadEveryDocument() throws IOException {
        // The failsafe schema keeps every scalar a string: Kubernetes reads YAML 1.1, where
        // defaultMode 0400 is octal, and YAML 1.2's core schema would read it as four hundred.
        Load load = new Load(LoadSettings.builder().setSchema(new FailsafeSchema()).build());
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(MANIFEST, StandardCharsets.UTF_8)) {
            for (Object document : load.loadAllFromReader(in)) {
                documents.add(map(document));
            }
        }
        assertEquals(List.of("Certificate", "ConfigMap", "Deployment"),
                documents.stream().map(d -> d.get("kind")).collect(Collectors.toList()));
        for (Map<String, Object> document : documents) {
            assertEquals("bots", map(document.get("metadata")).get("namespace"), document.get("kind") + " namespace");
        }
        certificate = documents.get(0);
        configMap = documents.get(1);
        deployment = documents.get(2);
    }

    @Test
    void certificateRenewsAClientAuthKeyEarlyIntoTheMountedSecret() {
        Map<String, Object> spec = map(certificate.get("spec"));

        assertEquals("cert-manager.io/v1", certificate.get("apiVersion"));
        assertTrue(list(spec.get("usages")).contains("client auth"), "usages: " + spec.get("usages"));
        assertEquals("Always", map(spec.get("privateKey")).get("rotationPolicy"));
        Duration duration = goDuration(spec.get("duration"));
        Duration renewBefore = goDuration(spec.get("renewBefore"));
        assertTrue(renewBefore.compareTo(duration) < 0, "renewBefore " + renewBefore + " within duration " + duration);
        assertEquals(spec.get("secretName"), map(volume("mtls-client").get("secret")).get("secretName"));
    }

    @Test
    void deploymentStartsTheAgentFromJavaToolOptionsWithTheJarTheInitContainerCopies() {
        String options = env(container("containers", "bot-runtime"), "JAVA_TOOL_OPTIONS");

        assertEquals("-javaagent:" + AGENT_JAR + "=profiles=/etc/mtls/profiles.yaml,reload=30s", options);
        assertTrue(volume("mtls-agent").containsKey("emptyDir"));
        Map<String, Object> init = container("initContainers", "mtls-agent");
        assertEquals("/opt/mtls", mountPath(init, "mtls-agent"));
        assertEquals("/opt/mtls", mountPath(container("containers", "bot-runtime"), "mtls-agent"));
        assertEquals(AGENT_JAR, list(init.get("command")).get(2));
    }

    @Test
    void everyMountIsAWholeVolumeSoKubeletUpdatesIt() {
        for (String group : List.of("initContainers", "containers")) {
            for (Object container : list(podSpec().get(group))) {
                for (Object mount : list(map(container).get("volumeMounts"))) {
                    assertFalse(map(mount).containsKey("subPath"), "subPath never updates: " + mount);
                    assertFalse(map(mount).containsKey("subPathExpr"), "subPath never updates: " + mount);
                }
            }
        }
    }

    @Test
    void secretFilesAreNotWorldReadable() {
        assertEquals("0400", map(volume("mtls-client").get("secret")).get("defaultMode"));
        assertNotNull(map(podSpec().get("securityContext")).get("fsGroup"), "a non-root JVM reads the Secret through fsGroup");
    }

    @Test
    void configMapHoldsAValidProfileFileWhoseKeyMaterialIsInTheSecretMount() throws Exception {
        Map<String, Object> bot = container("containers", "bot-runtime");
        assertEquals("/etc/mtls", mountPath(bot, "mtls-profiles"));
        String secretMount = mountPath(bot, "mtls-client");
        Path profiles = temp.resolve("profiles.yaml");
        Files.writeString(profiles, (String) map(configMap.get("data")).get("profiles.yaml"));

        ProfileDocument document = new ProfileFileReader(SecretResolver.system()).read(profiles, null);

        assertEquals(List.of(), document.errors());
        assertEquals(1, document.profiles().size());
        for (ProfileDefinition profile : document.profiles()) {
            assertEquals(Path.of(secretMount, "tls.crt"), profile.identity().certificate());
            assertEquals(Path.of(secretMount, "tls.key"), profile.identity().key());
        }
    }

    private static Map<String, Object> podSpec() {
        return map(map(map(deployment.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> volume(String name) {
        return named(list(podSpec().get("volumes")), name);
    }

    private static Map<String, Object> container(String group, String name) {
        return named(list(podSpec().get(group)), name);
    }

    private static String mountPath(Map<String, Object> container, String volume) {
        return (String) named(list(container.get("volumeMounts")), volume).get("mountPath");
    }

    private static String env(Map<String, Object> container, String name) {
        return (String) named(list(container.get("env")), name).get("value");
    }

    private static Map<String, Object> named(List<Object> items, String name) {
        return items.stream().map(KubernetesManifestTest::map).filter(item -> name.equals(item.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("nothing named " + name + " in " + items));
    }

    /** Kubernetes durations as cert-manager writes them: whole hours or minutes. */
    private static Duration goDuration(Object text) {
        String value = (String) text;
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        switch (value.charAt(value.length() - 1)) {
            case 'h':
                return Duration.ofHours(amount);
            case 'm':
                return Duration.ofMinutes(amount);
            default:
                throw new AssertionError("not a duration in hours or minutes: " + value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertTrue(node instanceof Map, "expected a mapping: " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertTrue(node instanceof List, "expected a sequence: " + node);
        return (List<Object>) node;
    }
}
