package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a profile file can make the parsers say: a reference in a field that is not a password is
 * refused by name, never expanded into a message; a parser error names the field and the line,
 * never the text; a YAML null is "not given"; control characters come out escaped.
 */
class SecretsInMessagesTest {
    private static final String ENV_SECRET = "QXZJKV7Q2XZ9KJVQ3ZXJ";
    private static final String FILE_SECRET = "ZKQX8VJZ5QKXV4JZQ6KX";
    private static final String LITERAL_SECRET = "VJQZ3KXQ7ZJV2XKQ9JZV";

    @TempDir
    Path dir;

    private final List<String> messages = new ArrayList<>();
    private final ProfileFileReader reader = new ProfileFileReader(
            new SecretResolver(Map.of("CLIENT_KEY_PASSWORD", ENV_SECRET), new Properties()));

    @AfterEach
    void noMessageHoldsASecret() {
        for (String message : messages) {
            for (String secret : List.of(ENV_SECRET, FILE_SECRET, LITERAL_SECRET)) {
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    assertFalse(message.contains(secret.substring(i, i + 4)), () -> "secret slice in: " + message);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"certificate", "key"})
    void refusesSecretReferenceInPemPathField(String field) throws Exception {
        Path file = yaml("    identity:",
                "      certificate: " + (field.equals("certificate") ? "${env:CLIENT_KEY_PASSWORD}" : "c.pem"),
                "      key: " + (field.equals("key") ? "${env:CLIENT_KEY_PASSWORD}" : "k.pem"));
        assertEquals(List.of(file + ":" + (field.equals("key") ? 7 : 6) + ": profile 'p': identity." + field
                + ": ${env:CLIENT_KEY_PASSWORD} is not expanded here: references are read only in password fields"
                + " (keyPassword, storePassword, pin, Password, KeyPassword); write the value itself (or $${ for a"
                + " literal ${)"), errors(file));
    }

    @Test
    void refusesAFileReferenceAsAPathWithoutReadingTheFile() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("shadow"), FILE_SECRET + "\n");
        Path file = yaml("    trust:", "      certificates: ${file:" + secretFile + "}");
        assertEquals(List.of(file + ":6: profile 'p': trust.certificates: ${file:" + secretFile + "} is not"
                + " expanded here: references are read only in password fields (keyPassword, storePassword,"
                + " pin, Password, KeyPassword); write the value itself (or $${ for a literal ${)"), errors(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "identity|keystore: ${env:CLIENT_KEY_PASSWORD}|identity.keystore",
        "identity|storeType: ${env:CLIENT_KEY_PASSWORD}|identity.storeType",
        "identity|alias: ${env:CLIENT_KEY_PASSWORD}|identity.alias",
        "trust|keystore: ${sys:x}|trust.keystore",
        "trust|storeType: ${env:CLIENT_KEY_PASSWORD}|trust.storeType"})
    void refusesSecretReferenceInEveryOtherStoreField(String spec) throws Exception {
        String[] parts = spec.split("\\|");
        Path file = parts[1].startsWith("keystore")
                ? yaml("    " + parts[0] + ":", "      " + parts[1])
                : yaml("    " + parts[0] + ":", "      keystore: a.p12", "      " + parts[1]);
        assertEquals(List.of(file + ":" + (parts[1].startsWith("keystore") ? 6 : 7) + ": profile 'p': " + parts[2]
                + ": " + parts[1].substring(parts[1].indexOf('$')) + " is not expanded here: references are read"
                + " only in password fields (keyPassword, storePassword, pin, Password, KeyPassword); write the value"
                + " itself (or $${ for a literal ${)"), errors(file));
    }

    @Test
    void refusesSecretReferenceInModeAndHosts() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: m",
                "    hosts: [a.example.com]",
                "    mode: ${env:CLIENT_KEY_PASSWORD}",
                "    trust: {certificates: a.pem}",
                "  - name: h",
                "    hosts: [b.example.com, \"${env:CLIENT_KEY_PASSWORD}\"]",
                "    trust: {certificates: a.pem}");
        List<String> errors = errors(file);
        assertEquals(2, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith(file + ":5: profile 'm': mode: ${env:CLIENT_KEY_PASSWORD} is not"
                + " expanded here"), errors.get(0));
        assertTrue(errors.get(1).startsWith(file + ":8: profile 'h': hosts: ${env:CLIENT_KEY_PASSWORD} is not"
                + " expanded here"), errors.get(1));
    }

    @Test
    void keepsALiteralDollarBraceInAPathWrittenAsEscape() throws Exception {
        Path file = yaml("    trust: {certificates: \"certs/$${odd}.pem\"}");
        assertEquals(dir.resolve("certs/${odd}.pem"),
                reader.read(file, null).profiles().get(0).trust().certificates());
    }

    @Test
    void refusesSecretReferenceInWso2LocationAndType() throws Exception {
        Path file = wso2("<Location>${env:CLIENT_KEY_PASSWORD}</Location><Password>x</Password>",
                "<Location>t.jks</Location><Type>${env:CLIENT_KEY_PASSWORD}</Type>");
        List<String> errors = errors(file);
        assertEquals(List.of(file + ": profile 'a.example.com': KeyStore/Location: ${env:CLIENT_KEY_PASSWORD} is"
                + " not expanded here: references are read only in password fields (keyPassword, storePassword,"
                + " pin, Password, KeyPassword); write the value itself (or $${ for a literal ${)",
                file + ": profile 'b.example.com': TrustStore/Type: ${env:CLIENT_KEY_PASSWORD} is not expanded"
                + " here: references are read only in password fields (keyPassword, storePassword, pin,"
                + " Password, KeyPassword); write the value itself (or $${ for a literal ${)"), errors);
    }

    @Test
    void explainsCarbonHomeInAWso2Location() throws Exception {
        Path file = wso2("<Location>${carbon.home}/repository/resources/security/wso2carbon.jks</Location>",
                "<Location>t.jks</Location>");
        assertEquals(List.of(file + ": profile 'a.example.com': <KeyStore/Location> starts with ${carbon.home},"
                + " which is not expanded: write the location relative to the API Manager's home and give the"
                + " home as the base option"), errors(file));
    }

    @Test
    void namesTheFieldNotTheTextOfAnUnquotedPasswordStartingWithAStar() throws Exception {
        Path file = yaml("    identity:", "      keystore: a.p12", "      storePassword: *" + LITERAL_SECRET);
        assertEquals(file + ":7: not valid YAML: field storePassword: a value starting with '*' is read as a YAML"
                + " alias (quote the value)", fileError(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"&", "!", "%", "@", "`", "\"", "'", "{", "[", "|", ">"})
    void neverQuotesAPasswordThatYamlCannotRead(String start) throws Exception {
        Path file = yaml("    identity:", "      keystore: a.p12",
                "      storePassword: " + start + LITERAL_SECRET + "\t: " + LITERAL_SECRET);
        messages.add(readAnyway(file));
    }

    @Test
    void doesNotQuoteAPieceOfAPasswordThatYamlReadAsAField() throws Exception {
        Path file = yaml("    identity: {keystore: a.p12, storePassword: " + LITERAL_SECRET.substring(0, 10) + ", "
                + LITERAL_SECRET.substring(10) + "}");
        assertEquals(List.of(file + ":5: profile 'p': unknown field without a value (part of an unquoted value with"
                + " ',' or ':' in it? quote the value) in identity"), errors(file));
    }

    @Test
    void stillQuotesAMisspeltField() throws Exception {
        Path file = yaml("    identity: {keystore: a.p12, storePasword: x}", "    trust: {certificates: a.pem, alais:}");
        assertEquals(List.of(file + ":5: profile 'p': unknown field 'storePasword' in identity; did you mean"
                + " 'storePassword'?"), errors(file));
    }

    @Test
    void doesNotEchoAnUnknownReferenceInAPassword() throws Exception {
        Path file = yaml("    identity:", "      keystore: a.p12",
                "      storePassword: " + LITERAL_SECRET + "${" + LITERAL_SECRET + "}");
        assertEquals(List.of(file + ":7: profile 'p': identity.storePassword: '${' starts something other than a"
                + " reference (a reference is ${env:NAME}, ${sys:NAME} or ${file:PATH}; write $${ for a literal ${)"),
                errors(file));
    }

    @Test
    void namesTheElementNotTheTextOfABrokenWso2Password() throws Exception {
        Path file = write("p.xml", "<parameter>", "<profile><servers>a.example.com</servers>",
                "<KeyStore><Location>k.jks</Location>",
                "<Password>" + LITERAL_SECRET + "&" + LITERAL_SECRET + "</Password>",
                "</KeyStore></profile></parameter>");
        assertEquals(file + ":4: not well-formed XML: near <Password>: a '&' that starts no entity (write &amp; for"
                + " a literal &)", fileError(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"&#0;", "<", "]]>", "&#xZZ;", "<!--", "</Type>"})
    void neverQuotesAWso2PasswordThatXmlCannotRead(String trouble) throws Exception {
        Path file = write("p.xml", "<parameter>", "<profile><servers>a.example.com</servers>",
                "<KeyStore><Location>k.jks</Location>",
                "<Password>" + LITERAL_SECRET + trouble + LITERAL_SECRET + "</Password>",
                "</KeyStore></profile></parameter>");
        messages.add(readAnyway(file));
    }

    @Test
    void readsAYamlNullAsNotGivenForEveryOptionalField() throws Exception {
        Path file = write("p.yaml", "version: 1", "reload:", "profiles:", "  - name: p",
                "    hosts: [a.example.com]",
                "    mode:",
                "    verifyHostname:",
                "    identity:",
                "      keystore: a.p12",
                "      storeType:",
                "      storePassword:",
                "      keyPassword:",
                "      alias:",
                "    trust:",
                "      certificates: ca.pem",
                "      includeDefault:");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of(), errors(document));
        ProfileDefinition profile = document.profiles().get(0);
        assertTrue(document.reload().isEmpty());
        assertEquals(Mode.MANDATORY, profile.mode());
        assertFalse(profile.verifyHostname());
        assertNull(profile.identity().storeType());
        assertNull(profile.identity().storePassword());
        assertNull(profile.identity().keyPassword());
        assertNull(profile.identity().alias());
        assertFalse(profile.trust().includeDefault());
    }

    @Test
    void keepsAnEmptyStringAsAnExplicitEmptyPassword() throws Exception {
        Path file = yaml("    identity:", "      keystore: a.p12", "      storePassword: \"\"", "      keyPassword:");
        IdentitySpec identity = reader.read(file, null).profiles().get(0).identity();
        assertEquals(Secret.empty(), identity.storePassword());
        assertNull(identity.keyPassword());
    }

    @Test
    void stillRefusesAnEmptyIdentitySectionRatherThanDroppingIt() throws Exception {
        Path file = yaml("    identity:", "    trust: {certificates: a.pem}");
        assertEquals(List.of(file + ":5: profile 'p': identity has no value (expected certificate and key,"
                + " keystore, or pkcs11)"), errors(file));
    }

    @Test
    void boundsTheReloadIntervalInTheFile() throws Exception {
        Path file = write("p.yaml", "version: 1", "reload: 106751991167d", "profiles: []");
        assertEquals(List.of(file + ":2: reload: '106751991167d' is longer than the maximum of 1d; the default"
                + " interval applies until it is fixed"), errors(file));
    }

    @Test
    void escapesControlCharactersInHostsAndPaths() throws Exception {
        Path file = write("p.yaml", "version: 1", "profiles:",
                "  - name: h",
                "    hosts: [\"a.example.com\\nerror: forged\\u001b[31m\"]",
                "    trust: {certificates: a.pem}",
                "  - name: p",
                "    hosts: [b.example.com]",
                "    trust: {certificates: \"ca\\nerror: forged\\u001b[31m.pem\"}");
        LoadResult result = new ProfileLoader(reader, new IdentityLoader(), new TrustLoader(), Clock.systemUTC(),
                Duration.ofDays(14)).load(file, null, 1);
        List<String> errors = new ArrayList<>();
        for (ProfileError error : result.errors()) {
            errors.add(error.toString());
        }
        messages.addAll(errors);
        assertEquals(2, errors.size(), errors::toString);
        for (String error : errors) {
            assertFalse(error.contains("\n"), error);
            assertFalse(error.contains("\u001b"), error);
            assertTrue(error.contains("\\nerror: forged\\u001b[31m"), error);
        }
        assertTrue(result.snapshot().profiles().get(0).problem().get().contains("\\nerror: forged\\u001b[31m"));
    }

    private Path yaml(String... profileLines) throws IOException {
        List<String> lines = new ArrayList<>(List.of("version: 1", "profiles:", "  - name: p",
                "    hosts: [a.example.com]"));
        lines.addAll(List.of(profileLines));
        return write("p.yaml", lines.toArray(new String[0]));
    }

    private Path wso2(String keyStore, String trustStore) throws IOException {
        return write("p.xml", "<parameter>",
                "<profile><servers>a.example.com</servers><KeyStore>" + keyStore + "</KeyStore></profile>",
                "<profile><servers>b.example.com</servers><TrustStore>" + trustStore + "</TrustStore></profile>",
                "</parameter>");
    }

    private List<String> errors(Path file) throws ProfileFileException {
        return errors(reader.read(file, null));
    }

    private List<String> errors(ProfileDocument document) {
        List<String> texts = new ArrayList<>();
        for (ProfileError error : document.errors()) {
            texts.add(error.toString());
        }
        messages.addAll(texts);
        return texts;
    }

    private String fileError(Path file) {
        String message = assertThrows(ProfileFileException.class, () -> reader.read(file, null)).getMessage();
        messages.add(message);
        return message;
    }

    /** Whatever the reader says about the file: its file error, or its profiles' errors. */
    private String readAnyway(Path file) {
        try {
            return String.join("\n", errors(reader.read(file, null)));
        } catch (ProfileFileException e) {
            return e.getMessage();
        }
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
