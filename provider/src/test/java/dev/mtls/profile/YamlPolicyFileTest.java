package dev.mtls.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The per-upstream policy fields of the native format (docs/POLICY.md): {@code trust.revocation},
 * {@code trust.serverNames}, {@code trust.pins}, trust without CAs, a profile's {@code tls}
 * block, and what a listener's trust takes of them; every mistake with its line and message.
 */
class YamlPolicyFileTest {
    private static final String PIN_A = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static final String PIN_B = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    private static final String PIN_FORM = "write sha256/ and the standard base64 of the SHA-256 of the certificate's"
            + " public key (SubjectPublicKeyInfo), 44 characters, as in"
            + " sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU= (docs/POLICY.md shows the openssl command)";

    @TempDir
    Path dir;

    private final ProfileFileReader reader = new ProfileFileReader(new SecretResolver(Map.of(), new Properties()));

    @Test
    void readsEveryPolicyFieldOfAProfile() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [payments.internal]",
                "    identity: {certificate: c.pem, key: k.pem}",
                "    trust:",
                "      certificates: certs/backend-ca.pem",
                "      revocation:",
                "        crl: [certs/backend-ca.crl, /var/crl/root.crl]",
                "        ocsp: true",
                "        ocspResponder: http://ocsp.internal:8080/check",
                "        onUnknown: allow",
                "        scope: chain",
                "      serverNames: [payments.internal, \"*.payments.internal\", 10.0.0.7, \"::1\",",
                "          \"spiffe://bank.example/payments\"]",
                "      pins: [\"" + PIN_A + "\", \"" + PIN_B + "\"]",
                "    tls:",
                "      minVersion: tlsv1.3",
                "      cipherSuites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]");

        ProfileDocument document = reader.read(file, null);

        assertThat(document.errors()).isEmpty();
        ProfileDefinition profile = document.profiles().get(0);
        assertThat(profile.trust()).isEqualTo(TrustSpec.pem(dir.resolve("certs/backend-ca.pem"), false).withChecks(
                new RevocationSpec(List.of(dir.resolve("certs/backend-ca.crl"), Path.of("/var/crl/root.crl")), true,
                        URI.create("http://ocsp.internal:8080/check"), RevocationSpec.OnUnknown.ALLOW,
                        RevocationSpec.Scope.CHAIN),
                List.of("payments.internal", "*.payments.internal", "10.0.0.7", "::1",
                        "spiffe://bank.example/payments"),
                List.of(PIN_A, PIN_B)));
        assertThat(profile.tls()).isEqualTo(new TlsSpec("TLSv1.3",
                List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")));
    }

    @Test
    void readsOneStringWhereAListIsExpectedAndTheDefaultsOfRevocation() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    trust:",
                "      keystore: trust.p12",
                "      revocation: {crl: ca.crl}",
                "      serverNames: a.example.com",
                "      pins: \"" + PIN_A + "\"",
                "    tls: {cipherSuites: TLS_AES_128_GCM_SHA256}");

        ProfileDefinition profile = reader.read(file, null).profiles().get(0);

        assertThat(profile.trust().revocation()).isEqualTo(new RevocationSpec(List.of(dir.resolve("ca.crl")), false,
                null, RevocationSpec.OnUnknown.FAIL, RevocationSpec.Scope.LEAF));
        assertThat(profile.trust().serverNames()).containsExactly("a.example.com");
        assertThat(profile.trust().pins()).containsExactly(PIN_A);
        assertThat(profile.trust().isKeyStore()).isTrue();
        assertThat(profile.tls()).isEqualTo(new TlsSpec(null, List.of("TLS_AES_128_GCM_SHA256")));
    }

    @Test
    void anOcspResponderAloneTurnsOcspOn() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    trust:",
                "      certificates: ca.pem",
                "      revocation: {ocspResponder: \"http://127.0.0.1:2560\"}");

        RevocationSpec revocation = reader.read(file, null).profiles().get(0).trust().revocation();

        assertThat(revocation.ocsp()).isTrue();
        assertThat(revocation.ocspResponder()).isEqualTo(URI.create("http://127.0.0.1:2560"));
        assertThat(revocation.crls()).isEmpty();
    }

    @Test
    void keepsTheApplicationsTrustForTheChainWhenTrustHasOnlyChecks() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    identity: {certificate: c.pem, key: k.pem}",
                "    trust:",
                "      serverNames: [a.example.com]",
                "  - name: q",
                "    hosts: [b.example.com]",
                "    trust:",
                "      revocation: {ocsp: true}");

        List<ProfileDefinition> profiles = reader.read(file, null).profiles();

        assertThat(profiles.get(0).trust()).isEqualTo(TrustSpec.applicationTrust()
                .withChecks(null, List.of("a.example.com"), List.of()));
        assertThat(profiles.get(0).trust().isApplicationTrust()).isTrue();
        assertThat(profiles.get(0).declaresTrust()).isTrue();
        assertThat(profiles.get(1).trust().isApplicationTrust()).isTrue();
        assertThat(profiles.get(1).trust().revocation().ocsp()).isTrue();
        assertThat(profiles.get(1).keepsApplicationIdentity()).isTrue();
    }

    @Test
    void aProfileWithoutPolicyHasNoChecksAndNoTls() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    trust: {certificates: ca.pem}");

        ProfileDefinition profile = reader.read(file, null).profiles().get(0);

        assertThat(profile.trust()).isEqualTo(TrustSpec.pem(dir.resolve("ca.pem"), false));
        assertThat(profile.trust().revocation()).isNull();
        assertThat(profile.trust().serverNames()).isEmpty();
        assertThat(profile.trust().pins()).isEmpty();
        assertThat(profile.tls()).isNull();
    }

    static Stream<Arguments> badProfilePolicies() {
        return Stream.of(
                // trust without CAs
                bad("    trust: {includeDefault: true}", 6, "trust needs certificates or keystore (the CAs), or, to"
                        + " keep the application's trust for the chain, at least one of revocation, serverNames, pins"),
                bad("    trust:\n      includeDefault: false\n      pins: [\"" + PIN_A + "\"]", 7,
                        "trust.includeDefault needs certificates or keystore; without them the application's trust"
                                + " decides the chain as it is, so remove includeDefault"),
                bad("    trust:\n      storePassword: x\n      serverNames: [a.example.com]", 7,
                        "trust has keystore settings but no keystore"),
                // revocation
                bad("    trust:\n      certificates: ca.pem\n      revocation: {onUnknown: allow}", 8,
                        "trust.revocation needs crl, ocsp: true or both (a revocation block without a source would"
                                + " check nothing)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation: {ocsp: false}", 8,
                        "trust.revocation needs crl, ocsp: true or both (a revocation block without a source would"
                                + " check nothing)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:", 8,
                        "trust.revocation has no value (expected crl, ocsp or both)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation: [a.crl]", 8,
                        "trust.revocation must be a mapping (crl, ocsp or both), not a list"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crls: a.crl", 9,
                        "unknown field 'crls' in trust.revocation; did you mean 'crl'?"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: []", 9,
                        "trust.revocation.crl is empty (leave it out for no such check)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: [a.crl, \"\"]", 9,
                        "trust.revocation.crl has an empty entry"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: {a: b}", 9,
                        "trust.revocation.crl must be a CRL file or a list of them, not a mapping"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: ${env:CRL}", 9,
                        "trust.revocation.crl: ${env:CRL} is not expanded here: references are read only in password"
                                + " fields (keyPassword, storePassword, pin, Password, KeyPassword); write the value itself"
                                + " (or $${ for a literal ${)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        ocsp: yes please", 9,
                        "trust.revocation.ocsp must be true or false, not 'yes please'"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        ocsp: true\n"
                        + "        ocspResponder: https://ocsp.internal", 10,
                        "trust.revocation.ocspResponder 'https://ocsp.internal' must be an http:// URL, not https://:"
                                + " the responder call must not itself need TLS (its trust is what is being decided),"
                                + " and OCSP answers are signed, so plain HTTP is how responders are reached"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        ocspResponder: ldap://x", 9,
                        "trust.revocation.ocspResponder 'ldap://x' must be an absolute http:// URL with a host, as in"
                                + " http://ocsp.internal:8080"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        ocspResponder: ocsp.internal",
                        9, "trust.revocation.ocspResponder 'ocsp.internal' must be an absolute http:// URL with a"
                                + " host, as in http://ocsp.internal:8080"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n"
                        + "        ocspResponder: \"http://user:pw@ocsp.internal\"", 9,
                        "trust.revocation.ocspResponder must not carry a user name or password (the URL is shown by"
                                + " check and in messages)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n"
                        + "        ocspResponder: \"https://user:pa ss@ocsp.internal\"", 9,
                        "trust.revocation.ocspResponder must not carry a user name or password (the URL is shown by"
                                + " check and in messages)"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        ocsp: false\n"
                        + "        ocspResponder: http://ocsp.internal", 10,
                        "trust.revocation.ocspResponder is set but ocsp is false; remove ocspResponder, or set ocsp:"
                                + " true to ask it"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: a.crl\n"
                        + "        onUnknown: ignore", 10,
                        "trust.revocation.onUnknown must be fail (the default) or allow, not 'ignore'"),
                bad("    trust:\n      certificates: ca.pem\n      revocation:\n        crl: a.crl\n"
                        + "        scope: everything", 10,
                        "trust.revocation.scope must be leaf (the default) or chain, not 'everything'"),
                // serverNames
                bad("    trust:\n      certificates: ca.pem\n      serverNames: []", 8,
                        "trust.serverNames is empty (leave it out for no such check)"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [a.example.com, \"\"]", 8,
                        "trust.serverNames has an empty entry"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames:\n        - a.example.com\n"
                        + "        - \"a*.example.com\"", 10,
                        "trust.serverNames 'a*.example.com': a wildcard must be the whole leftmost label, as in"
                                + " *.example.com"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"*\"]", 8,
                        "trust.serverNames '*': a wildcard must be the whole leftmost label, as in *.example.com"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"*.a.*.example.com\"]", 8,
                        "trust.serverNames '*.a.*.example.com': a wildcard must be the whole leftmost label, as in"
                                + " *.example.com"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"a.example.com:8443\"]", 8,
                        "trust.serverNames 'a.example.com:8443': takes no port (a certificate names hosts, not"
                                + " ports)"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"[::1]:8443\"]", 8,
                        "trust.serverNames '[::1]:8443': takes no port (a certificate names hosts, not ports)"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"a b.example.com\"]", 8,
                        "trust.serverNames 'a b.example.com': contains whitespace"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"spiffe://bank.example/*\"]", 8,
                        "trust.serverNames 'spiffe://bank.example/*': a URI is compared exactly and takes no '*'"
                                + " (list each URI)"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"spiffe://bank.example/a b\"]", 8,
                        "trust.serverNames 'spiffe://bank.example/a b': contains whitespace"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"urn:x:^\"]", 8,
                        "trust.serverNames 'urn:x:^': is not a valid URI: Illegal character in opaque part"),
                bad("    trust:\n      certificates: ca.pem\n      serverNames: [\"_x:y\"]", 8,
                        "trust.serverNames '_x:y': is not a DNS name, an IP address or a URI with a scheme (as in"
                                + " spiffe://example.org/payments)"),
                // pins
                bad("    trust:\n      certificates: ca.pem\n      pins:"
                        + " [\"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\"]", 8,
                        "trust.pins '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' is not a pin: " + PIN_FORM),
                bad("    trust:\n      certificates: ca.pem\n      pins: [\"sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=\"]", 8,
                        "trust.pins 'sha1/AAAAAAAAAAAAAAAAAAAAAAAAAAA=' is not a pin: " + PIN_FORM),
                bad("    trust:\n      certificates: ca.pem\n      pins: [\"sha256/AAAA\"]", 8,
                        "trust.pins 'sha256/AAAA' is not a pin: " + PIN_FORM),
                bad("    trust:\n      certificates: ca.pem\n      pins:"
                        + " [\"sha256/47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=\"]", 8,
                        "trust.pins 'sha256/47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=' is not a pin: " + PIN_FORM),
                bad("    trust:\n      certificates: ca.pem\n      pins: {a: b}", 8,
                        "trust.pins must be a list of sha256/… pins, not a mapping"),
                bad("    trust:\n      certificates: ca.pem\n      pin: [\"" + PIN_A + "\"]", 8,
                        "unknown field 'pin' in trust; did you mean 'pins'?"),
                // one level off
                bad("    pins: [\"" + PIN_A + "\"]", 6, "unknown field 'pins' here; it belongs in trust"
                        + " (docs/POLICY.md)"),
                bad("    minVersion: TLSv1.3", 6, "unknown field 'minVersion' here; it belongs in tls (docs/POLICY.md)"),
                bad("    trust:\n      certificates: ca.pem\n      cipherSuites: [TLS_AES_128_GCM_SHA256]", 8,
                        "unknown field 'cipherSuites' here; it belongs in the profile's tls block (docs/POLICY.md)"),
                // tls
                bad("    tls:", 6, "tls has no value (expected minVersion, cipherSuites or both)"),
                bad("    tls: {}", 6, "tls needs minVersion, cipherSuites or both"),
                bad("    tls: TLSv1.3", 6, "tls must be a mapping (minVersion, cipherSuites or both), not a string"),
                bad("    tls:\n      minVersoin: TLSv1.3", 7, "unknown field 'minVersoin' in tls; did you mean"
                        + " 'minVersion'?"),
                bad("    tls:\n      minVersion: TLSv1.1", 7, "tls.minVersion must be TLSv1.2 or TLSv1.3, not"
                        + " 'TLSv1.1': a minimum only raises the floor, and the JDK already refuses TLSv1 and TLSv1.1"
                        + " by default (leave minVersion out to keep the application's versions)"),
                bad("    tls:\n      minVersion: 1.3", 7, "tls.minVersion must be TLSv1.2 or TLSv1.3, not '1.3'"),
                bad("    tls:\n      minVersion: [TLSv1.3]", 7, "tls.minVersion must be a string, not a list"),
                bad("    tls:\n      cipherSuites: [TLS_AES_128_GCM_SHA256, ECDHE-RSA-AES128-GCM-SHA256]", 7,
                        "tls.cipherSuites 'ECDHE-RSA-AES128-GCM-SHA256' is not a cipher suite name: write the"
                                + " standard (IANA) name the JDK uses, as in TLS_AES_128_GCM_SHA256 or"
                                + " TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
                bad("    tls:\n      cipherSuites: []", 7,
                        "tls.cipherSuites is empty (leave it out for no such check)"));
    }

    private static Arguments bad(String lines, int line, String message) {
        return Arguments.of(lines, line, message);
    }

    /** Each mistake names the profile and its line; the profile is kept only for its hosts, which fail closed. */
    @ParameterizedTest
    @MethodSource("badProfilePolicies")
    void reportsABadPolicyFieldAndKeepsTheProfileUnreadable(String lines, int line, String message) throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    identity: {certificate: c.pem, key: k.pem}",
                lines,
                "  - name: fine",
                "    hosts: [b.example.com]",
                "    trust: {certificates: b.pem}");

        ProfileDocument document = reader.read(file, null);

        assertThat(document.errors()).hasSize(1);
        ProfileError error = document.errors().get(0);
        assertThat(error.toString()).isEqualTo(file + ":" + line + ": profile 'p': " + message);
        ProfileDefinition kept = document.profiles().get(0);
        assertThat(kept.unreadable()).isPresent();
        assertThat(kept.hosts()).containsExactly("a.example.com");
        // Trust and tls only ever restrict: a broken one fails the hosts closed in either mode.
        assertThat(kept.declaresTrust()).isTrue();
        assertThat(document.profiles().get(1).unreadable()).isEmpty();
    }

    @Test
    void anOptionalProfileWithABrokenTlsBlockStillFailsClosed() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    mode: optional",
                "    identity: {certificate: c.pem, key: k.pem}",
                "    tls: {minVersion: TLSv9}");

        ProfileDefinition kept = reader.read(file, null).profiles().get(0);

        assertThat(kept.mode()).isEqualTo(Mode.OPTIONAL);
        assertThat(kept.declaresTrust()).isTrue();
        assertThat(kept.unreadable()).hasValueSatisfying(reason -> assertThat(reason)
                .endsWith("tls.minVersion must be TLSv1.2 or TLSv1.3, not 'TLSv9'"));
    }

    @Test
    void readsRevocationInAListenersTrust() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: api",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: clients-ca.pem",
                "      revocation: {crl: clients.crl, onUnknown: allow}");

        ProfileDocument document = reader.read(file, null);

        assertThat(document.errors()).isEmpty();
        assertThat(document.listeners().get(0).trust()).isEqualTo(TrustSpec.pem(dir.resolve("clients-ca.pem"), false)
                .withChecks(new RevocationSpec(List.of(dir.resolve("clients.crl")), false, null,
                        RevocationSpec.OnUnknown.ALLOW, RevocationSpec.Scope.LEAF), List.of(), List.of()));
    }

    static Stream<Arguments> badListenerPolicies() {
        return Stream.of(
                bad("      certificates: ca.pem\n      serverNames: [bot.example.com]", 7,
                        "trust.serverNames is for profiles (the server's certificate); a listener names the client"
                                + " certificates it accepts in allow, as in '- dns: \"*.bots.example.com\"'"),
                bad("      certificates: ca.pem\n      pins: [\"" + PIN_A + "\"]", 7,
                        "trust.pins is for profiles (the server's certificate); a listener names the client"
                                + " certificates it accepts in allow, as in '- dns: \"*.bots.example.com\"'"),
                bad("      revocation: {crl: clients.crl}", 6,
                        "trust needs certificates or keystore (the CAs client certificates must chain to)"),
                bad("      certificates: ca.pem\n      revocation: {ocspResponder: https://ocsp.internal}", 7,
                        "trust.revocation.ocspResponder 'https://ocsp.internal' must be an http:// URL, not https://:"
                                + " the responder call must not itself need TLS (its trust is what is being decided),"
                                + " and OCSP answers are signed, so plain HTTP is how responders are reached"));
    }

    @ParameterizedTest
    @MethodSource("badListenerPolicies")
    void reportsABadPolicyFieldInAListenersTrust(String lines, int line, String message) throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: api",
                "    clientAuth: mandatory",
                "    trust:",
                lines);

        ProfileDocument document = reader.read(file, null);

        assertThat(document.errors()).extracting(ProfileError::toString)
                .containsExactly(file + ":" + line + ": listener 'api': " + message);
    }

    @Test
    void refusesATlsBlockOnAListener() throws Exception {
        Path file = write("version: 1",
                "listeners:",
                "  - name: api",
                "    tls: {minVersion: TLSv1.3}");

        assertThat(reader.read(file, null).errors()).extracting(ProfileError::toString)
                .containsExactly(file + ":4: listener 'api': unknown field 'tls'");
    }

    @Test
    void namesAPolicyFieldInAYamlSyntaxError() throws Exception {
        Path file = write("version: 1",
                "profiles:",
                "  - name: p",
                "    hosts: [a.example.com]",
                "    trust:",
                "      revocation:",
                "        onUnknown: *fail");

        ProfileFileException e = org.junit.jupiter.api.Assertions.assertThrows(ProfileFileException.class,
                () -> reader.read(file, null));
        assertThat(e.getMessage()).isEqualTo(file + ":7: not valid YAML: field onUnknown: a value starting with '*'"
                + " is read as a YAML alias (quote the value)");
    }

    private Path write(String... lines) throws IOException {
        List<String> all = new ArrayList<>(List.of(lines));
        return Files.writeString(dir.resolve("profiles.yaml"), String.join("\n", all) + "\n");
    }
}
