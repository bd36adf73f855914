package dev.mtls.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code listeners} section of the native format: every field, and a message for every mistake. */
class YamlListenerFileTest {
    private static final String STORE_PASSWORD = "l1stener-st0re-pa55";

    @TempDir
    Path dir;

    private final List<String> errorTexts = new ArrayList<>();
    private final ProfileFileReader reader = new ProfileFileReader(new SecretResolver(
            Map.of("SERVER_STORE_PASSWORD", STORE_PASSWORD), new Properties()));

    @AfterEach
    void noErrorTextRevealsASecret() {
        for (String text : errorTexts) {
            assertThat(text).doesNotContain(STORE_PASSWORD);
        }
    }

    @Test
    void parsesEveryFieldOfAListener() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: public-api",
                "    ports: [8443, 9443]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: certs/client-ca.pem",
                "    allow:",
                "      - subject: \"CN=bot-client,O=acme\"",
                "      - dns: \"*.bots.example.com\"",
                "      - uri: \"https://ids.example.com/bots/*\"",
                "      - ip: 10.1.2.3",
                "      - spiffe: \"spiffe://example.org/bots/*\"",
                "    identity:",
                "      certificate: certs/server-chain.pem",
                "      key: certs/server.key",
                "  - name: admin",
                "    ports: 9000",
                "    clientAuth: Optional",
                "    trust:",
                "      keystore: stores/clients.p12",
                "      storePassword: ${env:SERVER_STORE_PASSWORD}",
                "  - name: everything-else",
                "    identity:",
                "      keystore: stores/server.p12",
                "      storePassword: ${env:SERVER_STORE_PASSWORD}");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).isEmpty();
        assertThat(document.profiles()).isEmpty();
        assertThat(document.listeners()).containsExactly(
                new ListenerDefinition("public-api", List.of(8443, 9443), ClientAuth.MANDATORY,
                        TrustSpec.pem(dir.resolve("certs/client-ca.pem"), false),
                        List.of(new AllowEntry(AllowEntry.Kind.SUBJECT, "CN=bot-client,O=acme"),
                                new AllowEntry(AllowEntry.Kind.DNS, "*.bots.example.com"),
                                new AllowEntry(AllowEntry.Kind.URI, "https://ids.example.com/bots/*"),
                                new AllowEntry(AllowEntry.Kind.IP, "10.1.2.3"),
                                new AllowEntry(AllowEntry.Kind.URI, "spiffe://example.org/bots/*")),
                        IdentitySpec.pem(dir.resolve("certs/server-chain.pem"), dir.resolve("certs/server.key"), null),
                        3),
                new ListenerDefinition("admin", List.of(9000), ClientAuth.OPTIONAL,
                        TrustSpec.keyStore(dir.resolve("stores/clients.p12"), null, Secret.of(STORE_PASSWORD), false),
                        List.of(), null, 17),
                new ListenerDefinition("everything-else", List.of(), ClientAuth.NONE, null, List.of(),
                        IdentitySpec.keyStore(dir.resolve("stores/server.p12"), null, Secret.of(STORE_PASSWORD), null,
                                null),
                        23));
        assertThat(document.listeners()).extracting(ListenerDefinition::line).containsExactly(3, 17, 23);
    }

    @Test
    void readsProfilesAndListenersOfTheSameFile() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: api",
                "    hosts: [api.internal]",
                "    identity: {certificate: client.pem, key: client.key}",
                "listeners:",
                "  - name: api",
                "    ports: [8443]",
                "    identity: {certificate: server.pem, key: server.key}");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).isEmpty();
        assertThat(document.profiles()).extracting(ProfileDefinition::name).containsExactly("api");
        assertThat(document.listeners()).extracting(ListenerDefinition::name).containsExactly("api");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "ports: [0]|5|ports: '0' is not a port number (1-65535)",
        "ports: [65536]|5|ports: '65536' is not a port number (1-65535)",
        "ports: [https]|5|ports: 'https' is not a port number (1-65535)",
        "ports: []|5|ports is empty (leave ports out for every TLS server handshake in the JVM)",
        "ports: {a: 1}|5|ports must be a list of port numbers, not a mapping",
        "clientAuth: required|6|clientAuth must be mandatory, optional or none, not 'required'",
        "allow: [{email: a@example.com}]|7|unknown allow entry 'email' in allow",
        "allow: [{subject: 'CN=a', dns: b.example.com}]|7|each allow entry must be one of subject, dns, uri, ip,"
                + " spiffe with its pattern, as in '- dns: \"*.bots.example.com\"', not a mapping with 2 fields",
        "allow: [{subject: 'not a dn'}]|7|allow.subject 'not a dn' is not a distinguished name (write it as in"
                + " \"CN=bot-client,O=acme\")",
        "allow: [{uri: 'bots/*'}]|7|allow.uri 'bots/*' is not an absolute URI (it needs a scheme, as in"
                + " spiffe://example.org/bots/*)",
        "allow: [{uri: 'spiffe://example.org/*/x'}]|7|allow.uri 'spiffe://example.org/*/x' may have '*' only as"
                + " its last character",
        "allow: [{spiffe: 'https://example.org/bots'}]|7|allow.spiffe 'https://example.org/bots' must start with"
                + " spiffe://",
        "allow: []|7|allow is empty (leave allow out to accept any certificate that chains to trust)",
        "allow: {subject: 'CN=a'}|7|allow must be a list of entries such as '- subject: \"CN=…\"', not a mapping",
        "alow: [{subject: 'CN=a'}]|7|unknown field 'alow'; did you mean 'allow'?",
    })
    void reportsEachMistakeOfAMandatoryListenerWithItsLine(String field, int line, String message) throws Exception {
        String clientAuth = field.startsWith("clientAuth") ? field : "clientAuth: mandatory";
        String extra = field.startsWith("clientAuth") || field.startsWith("ports") ? "" : field;
        String ports = field.startsWith("ports") ? field : "ports: [8443]";
        Path file = write("version: 1",
                "listeners:",
                "  - name: public-api",
                "    trust: {certificates: ca.pem}",
                "    " + ports,
                "    " + clientAuth,
                "    " + extra);

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).containsExactly(file + ":" + line + ": listener 'public-api': " + message);
    }

    @Test
    void refusesTrustAndAllowWithClientAuthNone() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: identity-only",
                "    ports: [8443]",
                "    trust: {certificates: ca.pem}",
                "  - name: allow-only",
                "    ports: [9443]",
                "    clientAuth: none",
                "    allow: [{dns: bots.example.com}]");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).containsExactly(
                file + ":5: listener 'identity-only': trust has no effect with clientAuth none (the application's"
                        + " own client authentication stands); set clientAuth to mandatory or optional, or remove"
                        + " trust",
                file + ":9: listener 'allow-only': allow has no effect with clientAuth none; set clientAuth to"
                        + " mandatory or optional, or remove allow");
    }

    @Test
    void refusesClientAuthWithoutTrust() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: public-api",
                "    clientAuth: optional");

        assertThat(errors(reader.read(file, null))).containsExactly(file + ":3: listener 'public-api': clientAuth"
                + " optional needs trust (the CAs client certificates must chain to)");
    }

    @Test
    void refusesMissingAndDuplicateNames() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - ports: [8443]",
                "  - name: api",
                "    ports: [9443]",
                "  - name: api",
                "    ports: [10443]",
                "  - name: 'bad name'",
                "  - just-a-string");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).containsExactly(
                file + ":3: listener '#1': missing field 'name'",
                file + ":6: listener 'api#3': duplicate listener name 'api' (first defined at line 4)",
                file + ":8: listener '#4': name 'bad name' may only contain letters, digits, '.', '_' and '-'",
                file + ":9: listener '#5': a listener must be a mapping (name, ports, clientAuth, …), not a string");
    }

    @Test
    void keepsAListenerWhoseTextIsBadForItsPortsSoTheyFailClosed() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: typo",
                "    ports: [8443]",
                "    clientAuth: mandatory",
                "    trust: {certificats: ca.pem}",
                "  - name: unreadable-mode",
                "    ports: 9443",
                "    clientAuth: [optional]",
                "  - name: misspelt-mode",
                "    ports: 10443",
                "    clientauth: none",
                "  - name: unreadable-ports",
                "    ports: [https]",
                "  - name: good",
                "    ports: [11443]",
                "    identity: {certificate: s.pem, key: s.key}");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).hasSize(4);
        List<ListenerDefinition> unreadable = document.listeners().stream()
                .filter(listener -> listener.unreadable().isPresent()).collect(Collectors.toList());
        assertThat(unreadable).extracting(ListenerDefinition::name)
                .containsExactly("typo", "unreadable-mode", "misspelt-mode");
        assertThat(unreadable).extracting(ListenerDefinition::ports)
                .containsExactly(List.of(8443), List.of(9443), List.of(10443));
        assertThat(unreadable).extracting(ListenerDefinition::clientAuth)
                .containsExactly(ClientAuth.MANDATORY, ClientAuth.MANDATORY, ClientAuth.MANDATORY);
        assertThat(unreadable.get(0).unreadable().orElseThrow()).isEqualTo(file + ":6: unknown field 'certificats'"
                + " in trust; did you mean 'certificates'?");
        assertThat(document.listeners()).filteredOn(listener -> listener.unreadable().isEmpty())
                .extracting(ListenerDefinition::name).containsExactly("good");
    }

    @Test
    void anUnreadableListenerKeepsAClientAuthItCanRead() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: optional-typo",
                "    ports: [8443]",
                "    clientAuth: optional",
                "    trust: {certificates: ca.pem}",
                "    allow: [{uri: 'no-scheme'}]");

        ListenerDefinition listener = reader.read(file, null).listeners().get(0);

        assertThat(listener.unreadable()).isPresent();
        assertThat(listener.clientAuth()).isEqualTo(ClientAuth.OPTIONAL);
    }

    @Test
    void refusesASecretReferenceOutsidePasswordFields() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: api",
                "    ports: ['${env:SERVER_STORE_PASSWORD}']",
                "    identity: {keystore: s.p12, storePassword: '${env:SERVER_STORE_PASSWORD}'}");

        assertThat(errors(reader.read(file, null))).containsExactly(file + ":4: listener 'api': ports:"
                + " ${env:SERVER_STORE_PASSWORD} is not expanded here: references are read only in password fields"
                + " (keyPassword, storePassword, pin, Password, KeyPassword); write the value itself (or $${ for a literal"
                + " ${)");
    }

    @Test
    void aListenersSectionThatIsNotAListFailsTheFile() throws Exception {
        Path file = write("version: 1", "listeners: {name: api}");

        ProfileFileException e = assertThrows(ProfileFileException.class,
                () -> reader.read(file, null));

        assertThat(e.getMessage()).isEqualTo(file + ":2: listeners must be a list, not a mapping");
    }

    @Test
    void anEmptyListenersSectionIsNoListeners() throws Exception {
        Path file = write("version: 1", "listeners:");

        ProfileDocument document = reader.read(file, null);

        assertThat(errors(document)).isEmpty();
        assertThat(document.listeners()).isEmpty();
    }

    private List<String> errors(ProfileDocument document) {
        List<String> texts = document.errors().stream().map(ProfileError::toString).collect(Collectors.toList());
        errorTexts.addAll(texts);
        return texts;
    }

    private Path write(String... lines) throws IOException {
        return Files.writeString(dir.resolve("profiles.yaml"), String.join("\n", lines) + "\n");
    }
}
