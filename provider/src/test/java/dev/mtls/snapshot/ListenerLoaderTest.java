package dev.mtls.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.ClientAuth;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners from the file to the snapshot: their server identity and client CAs read from real PKI. */
class ListenerLoaderTest {
    private static final String SERVER_IDENTITY = "    identity: {certificate: server-chain.pem, key: server.key}\n";
    private static final String CLIENT_TRUST = "    trust: {certificates: client-ca.pem}\n";

    @TempDir
    Path dir;
    TestCertificate serverCa;
    TestCertificate server;
    TestCertificate clientCa;

    @BeforeEach
    void writeMaterial() {
        serverCa = TestPki.rootCa("Server CA").create();
        server = serverCa.issue("api.example.com").serverAuth().dns("api.example.com").create();
        writeIdentity(server, "server");
        clientCa = TestPki.rootCa("Client CA").create();
        TestPki.writePem(dir.resolve("client-ca.pem"), clientCa.certificate());
    }

    @Test
    void loadsAListenersServerIdentityAndClientCasBesideTheProfiles() throws Exception {
        TestCertificate client = writeIdentity(clientCa.issue("bot").clientAuth().create(), "client");
        Path file = file("profiles:\n  - name: outbound\n    hosts: [backend.internal]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n"
                + "listeners:\n  - name: public-api\n    ports: [8443]\n    clientAuth: mandatory\n" + CLIENT_TRUST
                + "    allow: [{subject: \"CN=bot\"}]\n" + SERVER_IDENTITY
                + "  - name: rest\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 3);

        assertThat(result.errors()).isEmpty();
        ProfileSnapshot snapshot = result.snapshot();
        assertThat(snapshot.profiles()).extracting(LoadedProfile::name).containsExactly("outbound");
        assertThat(snapshot.listeners()).extracting(LoadedListener::name).containsExactly("public-api", "rest");
        LoadedListener api = snapshot.listenerForPort(8443).orElseThrow();
        assertThat(api.name()).isEqualTo("public-api");
        assertThat(api.isUsable()).isTrue();
        assertThat(api.clientAuth()).isEqualTo(ClientAuth.MANDATORY);
        assertThat(api.identity().orElseThrow().chain()).isEqualTo(server.chain());
        assertThat(api.trust().orElseThrow().certificates()).containsExactly(clientCa.certificate());
        assertThat(api.allow()).extracting(Object::toString).containsExactly("subject: CN=bot");
        LoadedListener rest = snapshot.listenerForPort(9443).orElseThrow();
        assertThat(rest.name()).isEqualTo("rest");
        assertThat(rest.ports()).isEmpty();
        assertThat(rest.trust()).isEmpty();
        assertThat(snapshot.listenerForPort(-1)).contains(rest);
        assertThat(snapshot.hasPortListeners()).isTrue();
    }

    @Test
    void refusesAServerIdentityWhoseCertificateIsForClientsOnly() throws Exception {
        writeIdentity(clientCa.issue("bot").clientAuth().create(), "server");
        Path file = file("listeners:\n  - name: api\n    ports: [8443]\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        LoadedListener api = result.snapshot().listener("api").orElseThrow();
        assertThat(api.isUsable()).isFalse();
        assertThat(api.problem()).contains(dir.resolve("server-chain.pem") + ": certificate CN=bot cannot be used"
                + " for a TLS server: its extended key usage is clientAuth, without serverAuth");
        assertThat(texts(result.errors())).containsExactly(file + ":3: listener 'api': " + api.problem().get());
    }

    @Test
    void refusesAServerIdentityWhoseKeyUsageAllowsNeitherSigningNorKeyEncipherment() throws Exception {
        TestCertificate signer = serverCa.issue("api.example.com").keyUsage("keyAgreement").create();
        writeIdentity(signer, "server");
        Path file = file("listeners:\n  - name: api\n" + SERVER_IDENTITY);

        LoadedListener api = loader(Instant.now()).load(file, null, 1).snapshot().listener("api").orElseThrow();

        assertThat(api.problem()).contains(dir.resolve("server-chain.pem") + ": certificate CN=api.example.com"
                + " cannot be used for a TLS server: its key usage lacks digitalSignature and keyEncipherment");
    }

    @Test
    void acceptsAServerCertificateWithKeyEnciphermentOnly() throws Exception {
        TestCertificate rsaServer = serverCa.issue("api.example.com").keyType(TestPki.KeyType.RSA)
                .keyUsage("keyEncipherment").serverAuth().create();
        writeIdentity(rsaServer, "server");
        Path file = file("listeners:\n  - name: api\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().listener("api").orElseThrow().isUsable()).isTrue();
    }

    @Test
    void keepsAListenerWhoseMaterialFailedSoItsHandshakesFailClosed() throws Exception {
        Path file = file("listeners:\n  - name: api\n    ports: [8443]\n    clientAuth: mandatory\n"
                + "    trust: {certificates: nowhere-ca.pem}\n"
                + "    identity: {certificate: server-chain.pem, key: nowhere.key}\n");

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        LoadedListener api = result.snapshot().listenerForPort(8443).orElseThrow();
        assertThat(api.isUsable()).isFalse();
        assertThat(api.identity()).isEmpty();
        assertThat(api.trust()).isEmpty();
        assertThat(api.problem().orElseThrow()).contains("nowhere.key").contains("nowhere-ca.pem");
        assertThat(result.errors()).hasSize(2).allSatisfy(error -> assertThat(error.listener()).isEqualTo("api"));
        assertThat(result.errors()).allSatisfy(error -> assertThat(error.profile()).isNull());
    }

    @Test
    void marksAServerCertificateOutsideItsValidityUnusable() throws Exception {
        TestCertificate expired = serverCa.issue("expired.example.com").serverAuth().expired().create();
        TestCertificate early = serverCa.issue("early.example.com").serverAuth().notYetValid().create();
        for (TestCertificate certificate : List.of(expired, early)) {
            String name = certificate.certificate().getSubjectX500Principal().getName().substring(3, 8);
            writeIdentity(certificate, name);
        }
        Path file = file("listeners:\n"
                + "  - name: expired\n    ports: [8443]\n    identity: {certificate: expir-chain.pem, key: expir.key}\n"
                + "  - name: early\n    ports: [9443]\n    identity: {certificate: early-chain.pem, key: early.key}\n");

        ProfileSnapshot snapshot = loader(Instant.now()).load(file, null, 1).snapshot();

        LoadedListener expiredListener = snapshot.listener("expired").orElseThrow();
        assertThat(expiredListener.isUsable()).isFalse();
        assertThat(expiredListener.identity()).isPresent();
        assertThat(expiredListener.problem().orElseThrow())
                .startsWith("certificate CN=expired.example.com expired on ");
        assertThat(snapshot.listener("early").orElseThrow().problem().orElseThrow())
                .startsWith("certificate CN=early.example.com is not valid before ");
    }

    @Test
    void warnsOfAServerCertificateCloseToExpiry() throws Exception {
        Path file = file("listeners:\n  - name: api\n" + SERVER_IDENTITY);
        Instant nearEnd = server.certificate().getNotAfter().toInstant().minus(Duration.ofDays(3));

        LoadResult result = loader(nearEnd).load(file, null, 1);

        assertThat(result.errors()).isEmpty();
        assertThat(texts(result.warnings())).anySatisfy(warning -> assertThat(warning)
                .startsWith(file + ":3: listener 'api': certificate CN=api.example.com expires on "));
    }

    @Test
    void leavesAPortToTheFirstListenerAndKeepsTheSecondUnusableOnItsOtherPorts() throws Exception {
        Path file = file("listeners:\n  - name: one\n    ports: [8443]\n" + SERVER_IDENTITY
                + "  - name: two\n    ports: [9443, 8443]\n" + SERVER_IDENTITY
                + "  - name: three\n    ports: [8443]\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        assertThat(texts(result.errors())).containsExactly(
                file + ":6: listener 'two': port 8443 is already used by listener 'one'",
                file + ":9: listener 'three': port 8443 is already used by listener 'one'");
        ProfileSnapshot snapshot = result.snapshot();
        assertThat(snapshot.listeners()).extracting(LoadedListener::name).containsExactly("one", "two");
        assertThat(snapshot.listenerForPort(8443).orElseThrow().name()).isEqualTo("one");
        LoadedListener two = snapshot.listenerForPort(9443).orElseThrow();
        assertThat(two.ports()).containsExactly(9443);
        assertThat(two.isUsable()).isFalse();
        assertThat(two.problem()).contains("port 8443 is already used by listener 'one'");
        assertThat(snapshot.listenerForPort(10443)).isEmpty();
    }

    @Test
    void marksAListenerWithAnInvalidDnsOrIpAllowEntryUnusable() throws Exception {
        Path file = file("listeners:\n  - name: api\n    ports: [8443]\n    clientAuth: mandatory\n" + CLIENT_TRUST
                + "    allow:\n"
                + "      - dns: \"a*.example.com\"\n"
                + "      - dns: \"bots.example.com:443\"\n"
                + "      - dns: 10.0.0.1\n"
                + "      - ip: bots.example.com\n"
                + "      - dns: \"*.bots.example.com\"\n"
                + "      - ip: \"2001:db8::1\"\n");

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        assertThat(texts(result.errors())).containsExactly(
                file + ":3: listener 'api': allow.dns: bad host pattern 'a*.example.com': a wildcard must be the"
                        + " whole leftmost label, as in *.example.com",
                file + ":3: listener 'api': allow.dns 'bots.example.com:443' must be a DNS name or a *.suffix"
                        + " wildcard without a port (use allow.ip for an address)",
                file + ":3: listener 'api': allow.dns '10.0.0.1' must be a DNS name or a *.suffix wildcard without a"
                        + " port (use allow.ip for an address)",
                file + ":3: listener 'api': allow.ip 'bots.example.com' is not an IPv4 or IPv6 address");
        LoadedListener api = result.snapshot().listenerForPort(8443).orElseThrow();
        assertThat(api.isUsable()).isFalse();
        assertThat(api.problem().orElseThrow()).contains("a*.example.com").contains("bots.example.com:443");
    }

    @Test
    void allowsOneListenerWithoutPorts() throws Exception {
        Path file = file("listeners:\n  - name: first\n" + SERVER_IDENTITY + "  - name: second\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        assertThat(texts(result.errors())).containsExactly(file + ":5: listener 'second': no ports given, but"
                + " listener 'first' already covers every port without naming ports; at most one listener may leave"
                + " ports out");
        assertThat(result.snapshot().listeners()).extracting(LoadedListener::name).containsExactly("first");
    }

    @Test
    void keepsAnUnreadableListenerForItsPortsAsMandatory() throws Exception {
        Path file = file("listeners:\n  - name: typo\n    ports: [8443]\n    clientAuht: optional\n" + CLIENT_TRUST);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        LoadedListener typo = result.snapshot().listenerForPort(8443).orElseThrow();
        assertThat(typo.name()).isEqualTo("typo");
        assertThat(typo.clientAuth()).isEqualTo(ClientAuth.MANDATORY);
        assertThat(typo.isUsable()).isFalse();
        assertThat(typo.problem()).contains(file + ":5: unknown field 'clientAuht'; did you mean 'clientAuth'?");
        assertThat(texts(result.errors())).containsExactly(
                file + ":5: listener 'typo': unknown field 'clientAuht'; did you mean 'clientAuth'?");
    }

    @Test
    void aListenerAndAProfileMayShareAName() throws Exception {
        TestCertificate client = writeIdentity(clientCa.issue("bot").clientAuth().create(), "client");
        Path file = file("profiles:\n  - name: api\n    hosts: [api.internal]\n"
                + "    identity: {certificate: client-chain.pem, key: client.key}\n"
                + "listeners:\n  - name: api\n    ports: [8443]\n" + SERVER_IDENTITY);

        LoadResult result = loader(Instant.now()).load(file, null, 1);

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().profile("api").orElseThrow().identity().orElseThrow().leaf())
                .isEqualTo(client.certificate());
        assertThat(result.snapshot().listener("api").orElseThrow().identity().orElseThrow().leaf())
                .isEqualTo(server.certificate());
    }

    /** {@code NAME-chain.pem} and {@code NAME.key}. */
    private TestCertificate writeIdentity(TestCertificate certificate, String name) {
        certificate.writeChain(dir.resolve(name + "-chain.pem"));
        certificate.writePkcs8Key(dir.resolve(name + ".key"));
        return certificate;
    }

    private Path file(String sections) throws IOException {
        return Files.writeString(dir.resolve("profiles.yaml"), "version: 1\n" + sections);
    }

    private static List<String> texts(List<ProfileError> errors) {
        return errors.stream().map(ProfileError::toString).collect(Collectors.toList());
    }

    private static ProfileLoader loader(Instant now) {
        return new ProfileLoader(new ProfileFileReader(new SecretResolver(Map.of(), new Properties())),
                new IdentityLoader(), new TrustLoader(), Clock.fixed(now, ZoneOffset.UTC), Duration.ofDays(14));
    }
}
