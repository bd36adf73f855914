package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code identity.pkcs11}: what is read, and the message for each way to get it wrong. */
class Pkcs11IdentityParserTest {
    private static final String PIN = "hsm-pin-7391";

    @TempDir
    Path dir;

    private final ProfileFileReader reader = new ProfileFileReader(new SecretResolver(Map.of("HSM_PIN", PIN),
            new Properties()));

    @Test
    void readsATokenIdentityByLabelWithItsPinFromTheEnvironment() throws Exception {
        Path file = write("version: 1", "profiles:",
                "  - name: bot",
                "    hosts: [api.example.com]",
                "    identity:",
                "      pkcs11:",
                "        library: /usr/lib/softhsm/libsofthsm2.so",
                "        token: mtls",
                "        pin: ${env:HSM_PIN}",
                "        key: bot-client",
                "      certificate: chain.pem");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of(), document.errors());
        IdentitySpec identity = document.profiles().get(0).identity();
        assertTrue(identity.isPkcs11());
        Pkcs11Key key = identity.pkcs11();
        assertEquals(Path.of("/usr/lib/softhsm/libsofthsm2.so"), key.library());
        assertEquals("mtls", key.token());
        assertNull(key.slot());
        assertEquals(PIN, new String(key.pin().chars()));
        assertEquals("bot-client", key.label());
        assertEquals(dir.resolve("chain.pem"), identity.certificate());
        assertEquals("pkcs11 token 'mtls' key 'bot-client' (library /usr/lib/softhsm/libsofthsm2.so), certificate "
                + dir.resolve("chain.pem"), identity.toString());
    }

    @Test
    void readsATokenBySlotForAListenerToo() throws Exception {
        Path file = write("version: 1", "listeners:",
                "  - name: api",
                "    ports: [8443]",
                "    identity:",
                "      pkcs11: {library: lib.so, slot: 1236181051, pin: '" + PIN + "', key: api-server}");
        ProfileDocument document = reader.read(file, null);
        assertEquals(List.of(), document.errors());
        Pkcs11Key key = document.listeners().get(0).identity().pkcs11();
        assertEquals(Long.valueOf(1236181051L), key.slot());
        assertEquals(dir.resolve("lib.so"), key.library());
        assertEquals("slot 1236181051", key.describeToken());
    }

    @Test
    void equalityIncludesThePinButToStringNeverShowsIt() {
        Pkcs11Key one = Pkcs11Key.inToken(Path.of("/lib.so"), "mtls", Secret.of(PIN), "bot");
        Pkcs11Key same = Pkcs11Key.inToken(Path.of("/lib.so"), "mtls", Secret.of(PIN), "bot");
        Pkcs11Key otherPin = Pkcs11Key.inToken(Path.of("/lib.so"), "mtls", Secret.of("0000"), "bot");
        assertEquals(one, same);
        assertEquals(IdentitySpec.pkcs11(one, null), IdentitySpec.pkcs11(same, null));
        assertNotEquals(one, otherPin);
        assertFalse(one.toString().contains(PIN));
        assertFalse(IdentitySpec.pkcs11(one, null).toString().contains(PIN));
    }

    static Stream<Arguments> badBlocks() {
        return Stream.of(
                Arguments.of("{pkcs11: {library: l.so, token: t, pin: p, key: k}, key: k.pem}",
                        "identity mixes pkcs11 with key; a token identity takes only pkcs11 (library, token or"
                                + " slot, pin, key) and optionally certificate"),
                Arguments.of("{pkcs11: {library: l.so, token: t, pin: p, key: k}, keystore: s.p12}",
                        "identity mixes pkcs11 with keystore; a token identity takes only pkcs11 (library, token or"
                                + " slot, pin, key) and optionally certificate"),
                Arguments.of("{pkcs11: {token: t, pin: p, key: k}}",
                        "identity.pkcs11 needs library (library, token or slot, pin, key)"),
                Arguments.of("{pkcs11: {library: l.so, token: t, pin: p}}",
                        "identity.pkcs11 needs key (library, token or slot, pin, key)"),
                Arguments.of("{pkcs11: {library: l.so, token: t, key: k}}",
                        "identity.pkcs11 needs pin (library, token or slot, pin, key)"),
                Arguments.of("{pkcs11: {library: l.so, token: t, slot: 0, pin: p, key: k}}",
                        "identity.pkcs11 has both token and slot; name the token by one of them"),
                Arguments.of("{pkcs11: {library: l.so, pin: p, key: k}}",
                        "identity.pkcs11 needs token (the token's label) or slot (the slot ID)"),
                Arguments.of("{pkcs11: {library: l.so, slot: first, pin: p, key: k}}",
                        "identity.pkcs11.slot must be a slot ID (a number such as 0, as softhsm2-util --show-slots"
                                + " or pkcs11-tool -L prints it), not 'first'"),
                Arguments.of("{pkcs11: {library: l.so, token: t, pin: p, key: k, label: x}}",
                        "unknown field 'label' in identity.pkcs11"),
                Arguments.of("{pkcs11: }", "identity.pkcs11 has no value (expected library, token or slot, pin, key)"));
    }

    @ParameterizedTest
    @MethodSource("badBlocks")
    void rejectsABadPkcs11BlockNamingTheFileLineAndProfile(String block, String message) throws Exception {
        Path file = write("version: 1", "profiles:",
                "  - name: bot",
                "    hosts: [a.example.com]",
                "    identity: " + block);
        List<ProfileError> errors = reader.read(file, null).errors();
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).message().startsWith(message), errors.get(0)::message);
        assertEquals(5, errors.get(0).line());
        assertTrue(errors.get(0).toString().startsWith(file + ":5: profile 'bot': "), errors.get(0)::toString);
    }

    @Test
    void neverShowsThePinInAnError() throws Exception {
        Path file = write("version: 1", "profiles:",
                "  - name: bot",
                "    hosts: [a.example.com]",
                "    identity: {pkcs11: {library: l.so, token: t, pin: '${env:HSM_PIN}', key: k}, alias: x}");
        String errors = reader.read(file, null).errors().toString();
        assertTrue(errors.contains("identity mixes pkcs11 with alias"), errors);
        assertFalse(errors.contains(PIN), errors);
    }

    private Path write(String... lines) throws IOException {
        return Files.writeString(dir.resolve("profiles.yaml"), String.join("\n", lines) + "\n");
    }
}
