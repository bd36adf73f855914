package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class YamlProfileFileTest {
    private static final String KEY_PASSWORD = "k3y-pa55-from-env";
    private static final String STORE_PASSWORD = "st0re-pa55-from-file";
    private static final String TRUST_PASSWORD = "tru5t-pa55-from-sys";
    private static final String LITERAL_PASSWORD = "l1teral-pa55";

    @TempDir
    Path dir;

    private final List<String> errorTexts = new ArrayList<>();
    private final ProfileFileReader reader = new ProfileFileReader(new SecretResolver(
            Map.of("CLIENT_KEY_PASSWORD", KEY_PASSWORD), properties("trust.pw", TRUST_PASSWORD)));

    @AfterEach
    void noErrorTextRevealsASecret() {
        for (String text : errorTexts) {
            for (String secret : List.of(KEY_PASSWORD, STORE_PASSWORD, TRUST_PASSWORD, LITERAL_PASSWORD)) {
                assertFalse(text.contains(secret), () -> "secret in error text: " + text);
            }
        }
    }

    @Test
    void parsesEveryFieldOfTheNativeFormat() throws Exception {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/store.txt"), STORE_PASSWORD + "\n");
        Path absoluteStore = dir.resolve("elsewhere/ledger.p12");
        Path file = write("profiles.yaml",
                "# mtls-agent profiles",
                "version: 1",
                "reload: 45s",
                "profiles:",
                "  - name: payments",
                "    hosts: [payments.internal:8443, \"*.bank.example.com\", 10.1.2.3, \"[2001:db8::1]:8443\"]",
                "    mode: optional",
                "    identity:",
                "      certificate: certs/client-chain.pem",
                "      key: certs/client.key",
                "      keyPassword: ${env:CLIENT_KEY_PASSWORD}",
                "    trust:",
                "      certificates: certs/backend-ca.pem",
                "      includeDefault: true",
                "    verifyHostname: true",
                "  - name: ledger.v2_x-1",
                "    hosts: ledger.example.com",
                "    identity:",
                "      keystore: " + absoluteStore,
                "      storeType: PKCS12",
                "      storePassword: ${file:secrets/store.txt}",
                "      keyPassword: " + LITERAL_PASSWORD + "$x",
                "      alias: client",
                "    trust:",
                "      keystore: stores/../stores/trust.jks",
                "      storeType: JKS",
                "      storePassword: ${sys:trust.pw}",
                "  - name: trust-only",
                "    hosts:",
                "      - \"*\"",
                "    trust:",
                "      certificates: ../shared/ca.pem");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of(), document.errors());
        assertEquals(ProfileDocument.Format.YAML, document.format());
        assertEquals(file, document.file());
        assertEquals(Duration.ofSeconds(45), document.reload().orElseThrow());
        assertEquals(List.of(
                new ProfileDefinition("payments",
                        List.of("payments.internal:8443", "*.bank.example.com", "10.1.2.3", "[2001:db8::1]:8443"),
                        Mode.OPTIONAL,
                        IdentitySpec.pem(dir.resolve("certs/client-chain.pem"), dir.resolve("certs/client.key"),
                                Secret.of(KEY_PASSWORD)),
                        TrustSpec.pem(dir.resolve("certs/backend-ca.pem"), true), true, 5),
                new ProfileDefinition("ledger.v2_x-1", List.of("ledger.example.com"), Mode.MANDATORY,
                        IdentitySpec.keyStore(absoluteStore, "PKCS12", Secret.of(STORE_PASSWORD),
                                Secret.of(LITERAL_PASSWORD + "$x"), "client"),
                        TrustSpec.keyStore(dir.resolve("stores/trust.jks"), "JKS", Secret.of(TRUST_PASSWORD), false),
                        false, 16),
                new ProfileDefinition("trust-only", List.of("*"), Mode.MANDATORY, null,
                        TrustSpec.pem(dir.getParent().resolve("shared/ca.pem"), false), false, 28)),
                document.profiles());
        assertEquals(List.of(5, 16, 28),
                document.profiles().stream().map(ProfileDefinition::line).collect(Collectors.toList()));
        assertTrue(document.profiles().get(0).identity().certificate().isAbsolute());
    }

    @Test
    void resolvesRelativePathsAgainstTheGivenBase() throws Exception {
        Path file = write("profiles.yaml", "version: 1", "profiles:",
                "  - name: a",
                "    hosts: a.example.com",
                "    identity: {certificate: c.pem, key: /abs/k.pem}");
        Path base = dir.resolve("home");

        IdentitySpec identity = reader.read(file, base).profiles().get(0).identity();

        assertEquals(base.resolve("c.pem"), identity.certificate());
        assertEquals(Path.of("/abs/k.pem").toAbsolutePath(), identity.key());
    }

    @Test
    void readsReloadZeroAsDisabledAndNoReloadAsUnset() throws Exception {
        assertEquals(Duration.ZERO, reader.read(write("a.yaml", "version: 1", "reload: 0", "profiles: []"), null)
                .reload().orElseThrow());
        assertEquals(Duration.ofMillis(500), reader.read(write("b.yaml", "version: 1", "reload: 500ms",
                "profiles: []"), null).reload().orElseThrow());
        assertTrue(reader.read(write("c.yaml", "version: 1", "profiles:"), null).reload().isEmpty());
    }

    @Test
    void rejectsAnUnknownVersion() throws Exception {
        Path file = write("p.yaml", "version: 2", "defaults: {}", "profiles: []");
        assertEquals(file + ":1: unsupported version '2' (this agent reads version: 1)", fileError(file));
    }

    @Test
    void rejectsAFileWithoutVersion() throws Exception {
        Path file = write("p.yaml", "# no version", "profiles: []");
        assertEquals(file + ":2: missing field 'version' (this agent reads version: 1)", fileError(file));
    }

    @Test
    void rejectsAFileWithoutProfiles() throws Exception {
        Path file = write("p.yaml", "version: 1", "reload: 30s");
        assertEquals(file + ":1: missing field 'profiles' (a list of profiles) or 'listeners' (a list of"
                + " listeners)", fileError(file));
    }

    @Test
    void reportsAnUnknownTopLevelFieldAndStillReadsTheProfiles() throws Exception {
        Path file = write("p.yaml", "version: 1", "reloads: 30s", "profiles:", "  - name: a", "    hosts: [a.internal]",
                "    trust: {certificates: ca.pem}");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of(file + ":2: unknown top-level field 'reloads'; did you mean 'reload'?"), errors(document));
        assertEquals(List.of("a"), names(document));
    }

    @Test
    void reportsABadReloadAndStillReadsTheProfilesWithTheDefaultInterval() throws Exception {
        Path file = write("p.yaml", "version: 1", "reload: 30", "profiles:", "  - name: a", "    hosts: [a.internal]",
                "    trust: {certificates: ca.pem}");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of(file + ":2: reload: '30' is not a duration (write e.g. 500ms, 30s, 5m, 1h, 14d, or 0);"
                + " the default interval applies until it is fixed"), errors(document));
        assertEquals(List.of("a"), names(document));
        assertTrue(document.reload().isEmpty());
    }

    @Test
    void rejectsProfilesThatAreNotAList() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:", "  name: a");
        assertEquals(file + ":3: profiles must be a list, not a mapping", fileError(file));
    }

    @Test
    void rejectsDuplicateTopLevelKeys() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles: []", "version: 1");
        assertEquals(file + ":3: duplicate field 'version' (first at line 1)", fileError(file));
    }

    @Test
    void reportsAnUnknownFieldInIdentityForThatProfileOnly() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: broken",
                "    hosts: [a.example.com]",
                "    identity:",
                "      certficate: c.pem",
                "      key: k.pem",
                "  - name: fine",
                "    hosts: [b.example.com]",
                "    identity: {certificate: c.pem, key: k.pem}");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("fine"), names(document));
        assertEquals(List.of("broken"), unreadableNames(document));
        assertEquals(List.of("a.example.com"), document.profiles().get(0).hosts());
        assertEquals(List.of(file + ":6: profile 'broken': unknown field 'certficate' in identity;"
                + " did you mean 'certificate'?"), errors(document));
        assertEquals("broken", document.errors().get(0).profile());
        assertEquals(6, document.errors().get(0).line());
    }

    @Test
    void reportsAnUnknownFieldInAProfileForThatProfileOnly() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: fine",
                "    hosts: [b.example.com]",
                "    trust: {certificates: ca.pem}",
                "  - name: broken",
                "    hsots: [a.example.com]",
                "    trust: {certificates: ca.pem, verifyHostname: true}");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("fine"), names(document));
        assertEquals(List.of(), unreadableNames(document), "no host to keep it for");
        assertEquals(List.of(file + ":7: profile 'broken': unknown field 'hsots'; did you mean 'hosts'?"),
                errors(document));
    }

    @Test
    void reportsALaterDuplicateNameWithTheLineOfTheFirst() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: api",
                "    hosts: [a.example.com]",
                "    trust: {certificates: a.pem}",
                "  - name: api",
                "    hosts: [b.example.com]",
                "    trust: {certificates: b.pem}");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("api"), names(document));
        assertEquals(List.of("a.example.com"), document.profiles().get(0).hosts());
        // The second keeps its hosts under a name of its own, unusable, naming the first.
        assertEquals(List.of("api#2"), unreadableNames(document));
        assertEquals(List.of("b.example.com"), document.profiles().get(1).hosts());
        assertEquals(List.of(file + ":6: profile 'api#2': duplicate profile name 'api' (first defined at line 3)"),
                errors(document));
    }

    @Test
    void keepsAnUnreadableProfileForItsHostsAsMandatoryUnlessItsModeReadsAsOptional() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: unreadable-mode",
                "    hosts: [a.example.com, \"\", [nested], b.example.com]",
                "    mode: sometimes",
                "    identity: {certificate: c.pem, key: k.pem}",
                "  - name: optional-but-broken",
                "    hosts: c.example.com",
                "    mode: Optional",
                "    identity: {certificate: c.pem, key: k.pem, colour: blue}",
                "  - hosts: [d.example.com]",
                "    trust: {certificates: d.pem}");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("unreadable-mode", "optional-but-broken", "#3"), unreadableNames(document));
        ProfileDefinition unreadableMode = document.profiles().get(0);
        assertEquals(List.of("a.example.com", "b.example.com"), unreadableMode.hosts());
        assertEquals(Mode.MANDATORY, unreadableMode.mode(), "an error never weakens a profile");
        assertFalse(unreadableMode.declaresTrust());
        assertFalse(unreadableMode.keepsApplicationIdentity(), "an unreadable profile presents nothing");
        assertEquals(file + ":4: hosts has an empty entry", unreadableMode.unreadable().orElseThrow());
        ProfileDefinition optional = document.profiles().get(1);
        assertEquals(Mode.OPTIONAL, optional.mode());
        assertEquals(List.of("c.example.com"), optional.hosts());
        ProfileDefinition nameless = document.profiles().get(2);
        assertEquals(List.of("d.example.com"), nameless.hosts());
        assertTrue(nameless.declaresTrust(), "a broken trust section fails closed in any mode");
        assertEquals(file + ":11: missing field 'name'", nameless.unreadable().orElseThrow());
    }

    @Test
    void namesAProfileWithoutAValidNameByItsPosition() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - hosts: [a.example.com]",
                "    trust: {certificates: a.pem}",
                "  - name: has space",
                "    hosts: [b.example.com]",
                "    trust: {certificates: b.pem}",
                "  - name: [x]",
                "    hosts: [c.example.com]",
                "    trust: {certificates: c.pem}",
                "  - just a string");

        assertEquals(List.of(
                file + ":3: profile '#1': missing field 'name'",
                file + ":5: profile '#2': name 'has space' may only contain letters, digits, '.', '_' and '-'",
                file + ":8: profile '#3': name must be a string, not a list",
                file + ":11: profile '#4': a profile must be a mapping (name, hosts, identity, …), not a string"),
                errors(reader.read(file, null)));
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("    hosts: {a: b}", "hosts must be a list of strings, not a mapping"),
                Arguments.of("    hosts: [[a, b]]", "hosts must be a list of strings, not a list containing a list"),
                Arguments.of("    hosts: []", "hosts is empty"),
                Arguments.of("    hosts: [a, \"\"]", "hosts has an empty entry"),
                Arguments.of("    hosts:", "hosts has no value"),
                Arguments.of("    mode: sometimes", "mode must be mandatory or optional, not 'sometimes'"),
                Arguments.of("    mode: [optional]", "mode must be a string, not a list"),
                Arguments.of("    verifyHostname: maybe", "verifyHostname must be true or false, not 'maybe'"),
                Arguments.of("    identity: [c.pem, k.pem]",
                        "identity must be a mapping (certificate and key, keystore, or pkcs11), not a list"),
                Arguments.of("    identity:", "identity has no value (expected certificate and key, keystore, or pkcs11)"),
                Arguments.of("    identity: {certificate: [a.pem, b.pem], key: k.pem}",
                        "identity.certificate must be a string, not a list"),
                Arguments.of("    identity: {keystore: a.p12, storePassword: {x: y}}",
                        "identity.storePassword must be a string, not a mapping"),
                Arguments.of("    identity: {keystore: a.p12, storeType: \"\"}", "identity.storeType is empty"),
                Arguments.of("    identity: {keystore: \"\"}", "identity.keystore is empty"),
                Arguments.of("    trust: {certificates: ca.pem, includeDefault: sometimes}",
                        "trust.includeDefault must be true or false, not 'sometimes'"),
                Arguments.of("    trust: ca.pem", "trust must be a mapping (certificates or keystore), not a string"));
    }

    @ParameterizedTest
    @MethodSource("wrongTypes")
    void reportsAWrongValueTypeNamingTheField(String line, String message) throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: p",
                line,
                "  - name: fine",
                "    hosts: [b.example.com]",
                "    trust: {certificates: b.pem}");
        if (!line.startsWith("    hosts")) {
            file = write("p.yaml", "version: 1", "profiles:",
                    "  - name: p",
                    "    hosts: [a.example.com]",
                    line,
                    "    trust: {certificates: a.pem}".replace("trust", line.contains("trust") ? "# trust" : "trust"),
                    "  - name: fine",
                    "    hosts: [b.example.com]",
                    "    trust: {certificates: b.pem}");
        }

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("fine"), names(document));
        boolean hostsReadable = !line.contains("hosts") || line.contains("[a, \"\"]");
        assertEquals(hostsReadable ? List.of("p") : List.of(), unreadableNames(document));
        assertEquals(1, document.errors().size());
        ProfileError error = document.errors().get(0);
        assertEquals("p", error.profile());
        assertEquals(line.startsWith("    hosts") ? 4 : 5, error.line());
        assertEquals(message, error.message());
        errorTexts.add(error.toString());
    }

    @Test
    void rejectsAnIdentityMixingPemAndKeystore() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: mixed",
                "    hosts: [a.example.com]",
                "    identity:",
                "      certificate: c.pem",
                "      key: k.pem",
                "      keystore: client.p12");
        assertEquals(List.of(file + ":6: profile 'mixed': identity mixes certificate/key with keystore fields; use"
                + " certificate and key, or keystore (with storeType, storePassword, alias)"),
                errors(reader.read(file, null)));
    }

    static Stream<Arguments> incompleteSections() {
        return Stream.of(
                Arguments.of("    identity: {certificate: c.pem}", "identity has a certificate but no key"),
                Arguments.of("    identity: {key: k.pem, keyPassword: x}", "identity has a key but no certificate"),
                Arguments.of("    identity: {storePassword: x, alias: a}",
                        "identity has keystore settings but no keystore"),
                Arguments.of("    identity: {keyPassword: x}", "identity needs certificate and key, keystore, or pkcs11"),
                Arguments.of("    trust: {includeDefault: true}", "trust needs certificates or keystore (the CAs), or,"
                        + " to keep the application's trust for the chain, at least one of revocation, serverNames,"
                        + " pins"),
                Arguments.of("    trust: {storeType: JKS}", "trust has keystore settings but no keystore"),
                Arguments.of("    trust: {certificates: ca.pem, storePassword: x}",
                        "trust mixes certificates with keystore fields; use certificates, or keystore"
                                + " (with storeType, storePassword)"),
                Arguments.of("    mode: optional", "a profile needs identity, trust or both"));
    }

    @ParameterizedTest
    @MethodSource("incompleteSections")
    void rejectsAnIncompleteOrMixedSection(String line, String message) throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                line);
        ProfileError error = reader.read(file, null).errors().get(0);
        assertEquals(message, error.message());
        assertEquals(line.contains("mode") ? 3 : 5, error.line());
    }

    @Test
    void namesTheUnsetVariableTheProfileAndTheFieldButNoValue() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: payments",
                "    hosts: [a.example.com]",
                "    identity:",
                "      certificate: c.pem",
                "      key: k.pem",
                "      keyPassword: " + LITERAL_PASSWORD + "${env:X}",
                "  - name: other",
                "    hosts: [b.example.com]",
                "    identity:",
                "      keystore: s.p12",
                "      storePassword: ${file:missing.txt}");

        assertEquals(List.of(
                file + ":8: profile 'payments': identity.keyPassword: environment variable X is not set",
                file + ":13: profile 'other': identity.storePassword: secret file " + dir.resolve("missing.txt")
                        + " not found"),
                errors(reader.read(file, null)));
    }

    @Test
    void stopsABillionLaughsFileBeforeExpandingIt() throws Exception {
        List<String> lines = new ArrayList<>(List.of("version: 1", "profiles: []",
                "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"));
        for (char level = 'b'; level <= 'i'; level++) {
            String previous = "*" + (char) (level - 1);
            lines.add(level + ": &" + level + " [" + String.join(",", List.of(previous, previous, previous, previous,
                    previous, previous, previous, previous, previous)) + "]");
        }
        Path file = write("laughs.yaml", lines.toArray(new String[0]));

        assertEquals(file + ": more than 50 YAML aliases to lists or mappings; refusing to expand them"
                + " (a 'billion laughs' file?)", fileError(file));
    }

    @Test
    void rejectsDuplicateKeysInAProfile() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    trust: {certificates: a.pem}",
                "    hosts: [b.example.com]");
        assertEquals(List.of(file + ":6: profile 'p': duplicate field 'hosts' (first at line 4)"),
                errors(reader.read(file, null)));
    }

    @Test
    void reportsAYamlSyntaxErrorWithItsLineButNotTheFileText() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: p",
                "    identity: {keystore: a.p12, storePassword: " + LITERAL_PASSWORD,
                "    hosts: [a.example.com]");
        String message = fileError(file);
        assertTrue(message.startsWith(file + ":5: not valid YAML: "), message);
    }

    @Test
    void acceptsAnchorsAndAliasesWithinTheLimit() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: a",
                "    hosts: [a.example.com]",
                "    identity: &id {certificate: c.pem, key: k.pem}",
                "  - name: b",
                "    hosts: [b.example.com]",
                "    identity: *id");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of("a", "b"), names(document));
        assertEquals(document.profiles().get(0).identity(), document.profiles().get(1).identity());
    }

    @Test
    void readsQuotedAndNumericScalarsAsText() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: \"007\"",
                "    hosts: \"a.example.com\"",
                "    mode: OPTIONAL",
                "    identity: {keystore: s.p12, storePassword: 0123456, keyPassword: ''}",
                "    verifyHostname: TRUE");
        ProfileDefinition profile = reader.read(file, null).profiles().get(0);
        assertEquals("007", profile.name());
        assertEquals(Mode.OPTIONAL, profile.mode());
        assertEquals(Secret.of("0123456"), profile.identity().storePassword());
        assertEquals(Secret.empty(), profile.identity().keyPassword());
        assertTrue(profile.verifyHostname());
    }

    private String fileError(Path file) {
        ProfileFileException e = assertThrows(ProfileFileException.class, () -> reader.read(file, null));
        errorTexts.add(e.getMessage());
        assertEquals(e.error().toString(), e.getMessage());
        assertEquals(file, e.error().file());
        return e.getMessage();
    }

    private List<String> errors(ProfileDocument document) {
        List<String> texts = document.errors().stream().map(ProfileError::toString).collect(Collectors.toList());
        errorTexts.addAll(texts);
        return texts;
    }

    /** The profiles that read in full. */
    private static List<String> names(ProfileDocument document) {
        return document.profiles().stream().filter(profile -> profile.unreadable().isEmpty())
                .map(ProfileDefinition::name).collect(Collectors.toList());
    }

    /** The profiles kept only for their hosts, so that these fail closed. */
    private static List<String> unreadableNames(ProfileDocument document) {
        return document.profiles().stream().filter(profile -> profile.unreadable().isPresent())
                .map(ProfileDefinition::name).collect(Collectors.toList());
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }

    private static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
