package dev.mtls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} on files with listeners: their own table after the profiles', the same exit codes. */
class CheckListenersTest {
    @TempDir
    static Path dir;
    static TestCertificate clientCa;
    static TestCertificate partnerCa;
    static TestCertificate server;
    static TestCertificate admin;
    static TestCertificate client;

    @BeforeAll
    static void makePki() throws IOException {
        clientCa = TestPki.rootCa("Client CA").create();
        partnerCa = TestPki.rootCa("Partner CA").create();
        TestCertificate serverCa = TestPki.rootCa("Server CA").create();
        server = serverCa.issue("api.example.com").serverAuth().dns("api.example.com").create();
        admin = serverCa.issue("admin.example.com").serverAuth().create();
        client = clientCa.issue("outbound-client").keyType(TestPki.KeyType.EC).clientAuth().create();
        server.writeChain(dir.resolve("server-chain.pem"));
        server.writePkcs8Key(dir.resolve("server.key"));
        admin.writeChain(dir.resolve("admin-chain.pem"));
        admin.writePkcs8Key(dir.resolve("admin.key"));
        client.writeChain(dir.resolve("client-chain.pem"));
        client.writePkcs8Key(dir.resolve("client.key"));
        TestPki.writePem(dir.resolve("client-cas.pem"), clientCa.certificate(), partnerCa.certificate());
        for (String key : new String[] {"server.key", "admin.key", "client.key"}) {
            Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    void printsListenersInTheirOwnTableAfterTheProfiles() throws IOException {
        Path file = write("both.yaml",
                "version: 1",
                "profiles:",
                "  - name: outbound",
                "    hosts: [backend.internal]",
                "    identity: {certificate: client-chain.pem, key: client.key}",
                "listeners:",
                "  - name: public-api",
                "    ports: [8443, 9443]",
                "    clientAuth: mandatory",
                "    trust: {certificates: client-cas.pem}",
                "    allow:",
                "      - subject: \"CN=bot-client,O=acme\"",
                "      - spiffe: \"spiffe://example.org/bots/*\"",
                "    identity: {certificate: server-chain.pem, key: server.key}",
                "  - name: admin",
                "    ports: 7443",
                "    clientAuth: optional",
                "    trust: {certificates: client-cas.pem}",
                "    identity: {certificate: admin-chain.pem, key: admin.key}",
                "  - name: rest",
                "    identity: {certificate: server-chain.pem, key: server.key}");

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(run.err).isEmpty();
        String server = notAfter(CheckListenersTest.server);
        String client = notAfter(CheckListenersTest.client);
        String admin = notAfter(CheckListenersTest.admin);
        assertThat(run.out).isEqualTo(String.join("\n",
                file + ": YAML profiles, 1 profile loaded, 3 listeners loaded, 0 errors",
                "",
                "PROFILE   STATUS  MODE       HOSTS             SUBJECT             ISSUER        KEY       NOT AFTER"
                        + "   TRUST",
                "outbound  ok      mandatory  backend.internal  CN=outbound-client  CN=Client CA  EC P-256  " + client
                        + "  application's",
                "",
                "LISTENER    STATUS  PORTS       CLIENTAUTH  TRUST                        ALLOW"
                        + " ".repeat(60) + "SUBJECT               NOT AFTER",
                "public-api  ok      8443,9443   mandatory   CN=Client CA; CN=Partner CA  "
                        + "subject: CN=bot-client,O=acme; uri: spiffe://example.org/bots/*"
                        + "  CN=api.example.com    " + server,
                "admin       ok      7443        optional    CN=Client CA; CN=Partner CA  any"
                        + " ".repeat(62) + "CN=admin.example.com  " + admin,
                "rest        ok      every port  none        application's                -"
                        + " ".repeat(64) + "CN=api.example.com    " + server,
                ""));
    }

    @Test
    void showsABrokenListenerAsAnErrorRowAndExitsOne() throws IOException {
        Path file = write("broken.yaml",
                "version: 1",
                "listeners:",
                "  - name: public-api",
                "    ports: [8443]",
                "    clientAuth: mandatory",
                "    trust: {certificates: no-such-ca.pem}",
                "  - name: typo",
                "    ports: [9443]",
                "    clientAuht: optional");

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertThat(run.status).as(run.toString()).isEqualTo(1);
        assertThat(run.out).startsWith(file + ": YAML profiles, 0 profiles loaded, 2 listeners loaded (2 unusable),"
                + " 2 errors\n\nLISTENER ");
        assertThat(run.row("public-api")).matches("public-api +ERROR +8443 +mandatory +- +- +\\(application's\\) +-");
        assertThat(run.row("typo")).matches("typo +ERROR +9443 +mandatory +- +- +- +-");
        assertThat(run.err.split("\n")).containsExactly(
                "error: " + file + ":9: listener 'typo': unknown field 'clientAuht'; did you mean 'clientAuth'?",
                "error: " + file + ":3: listener 'public-api': " + dir.resolve("no-such-ca.pem") + ": missing file");
    }

    private static String notAfter(TestCertificate certificate) {
        return certificate.certificate().getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
