package dev.mtls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

class CheckCommandTest {
    @TempDir
    static Path dir;
    static TestCertificate clientCa;
    static TestCertificate backendCa;
    static TestCertificate botClient;
    static TestCertificate ordersClient;
    static TestCertificate crmClient;

    @BeforeAll
    static void makePki() {
        clientCa = TestPki.rootCa("Client CA").create();
        backendCa = TestPki.rootCa("Backend CA").create();
        botClient = clientCa.issue("bot-client").keyType(TestPki.KeyType.EC).clientAuth().create();
        ordersClient = clientCa.issue("orders-client").keyType(TestPki.KeyType.RSA).clientAuth().create();
        crmClient = clientCa.issue("crm-client").keyType(TestPki.KeyType.EC).clientAuth().create();
        botClient.writeChain(dir.resolve("bot-chain.pem"));
        botClient.writePkcs8Key(dir.resolve("bot.key"));
        ordersClient.writeChain(dir.resolve("orders-chain.pem"));
        ordersClient.writeEncryptedPkcs8Key(dir.resolve("orders.enc.key"), "orders-secret-pw");
        crmClient.writeKeyStore(dir.resolve("crm.p12"), "PKCS12", "crm-store-pw", "crm-store-pw", "crm");
        TestPki.writePem(dir.resolve("backend-ca.pem"), backendCa.certificate());
        write("orders-password.txt", "orders-secret-pw\n");
        write("crm-password.txt", "crm-store-pw\n");
        ownerOnly("bot.key", "orders.enc.key", "crm.p12");
    }

    /** As an operator keeps key files; check warns about the others. */
    private static void ownerOnly(String... names) {
        for (String name : names) {
            try {
                Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void printsOneRowPerProfileForPemEncryptedPemAndPkcs12Identities() throws IOException {
        Path file = write("profiles.yaml", String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [payments.internal:8443, \"*.bank.example.com\"]",
                "    identity: {certificate: bot-chain.pem, key: bot.key}",
                "    trust: {certificates: backend-ca.pem}",
                "  - name: orders",
                "    hosts: [orders.internal]",
                "    identity:",
                "      certificate: orders-chain.pem",
                "      key: orders.enc.key",
                "      keyPassword: ${file:orders-password.txt}",
                "  - name: crm",
                "    hosts: [\"*.crm.example.com\"]",
                "    mode: optional",
                "    identity:",
                "      keystore: crm.p12",
                "      storeType: PKCS12",
                "      storePassword: ${file:crm-password.txt}",
                ""));

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertEquals(0, run.status, run.toString());
        assertThat(run.out).startsWith(file + ": YAML profiles, 3 profiles loaded, 0 errors");
        assertRow(run.row("payments"), "ok", "mandatory", "payments.internal:8443,*.bank.example.com",
                "CN=bot-client", "CN=Client CA", "EC P-256", notAfter(botClient), "CN=Backend CA");
        assertRow(run.row("orders"), "ok", "mandatory", "orders.internal", "CN=orders-client", "RSA 2048",
                notAfter(ordersClient), "application's");
        assertRow(run.row("crm"), "ok", "optional", "*.crm.example.com", "CN=crm-client", "EC P-256",
                notAfter(crmClient));
        assertEquals("", run.err, run.toString());
    }

    @Test
    void printsWso2SampleWithTrustOnlyAndMutualJksProfiles() throws IOException {
        Path home = Files.createDirectories(dir.resolve("wso2-home/repository/resources/security"));
        TestCertificate wso2Client = clientCa.issue("wso2-client").keyType(TestPki.KeyType.RSA).clientAuth().create();
        wso2Client.writeKeyStore(home.resolve("wso2carbon.jks"), "JKS", "wso2carbon", "wso2carbon", "wso2carbon");
        ownerOnly("wso2-home/repository/resources/security/wso2carbon.jks");
        TestPki.writeTrustStore(home.resolve("client-truststore.jks"), "JKS", "wso2carbon", backendCa.certificate());
        Path file = write("multi_ssl_profiles.xml", String.join("\n",
                "<parameter name=\"customSSLProfiles\">",
                "  <profile>",
                "    <servers>localhost:8244</servers>",
                "    <TrustStore>",
                "      <Location>repository/resources/security/client-truststore.jks</Location>",
                "      <Type>JKS</Type>",
                "      <Password>wso2carbon</Password>",
                "    </TrustStore>",
                "  </profile>",
                "  <profile>",
                "    <servers>backend.example.com:9443,api.backend.example.com:9443</servers>",
                "    <KeyStore>",
                "      <Location>repository/resources/security/wso2carbon.jks</Location>",
                "      <Type>JKS</Type>",
                "      <Password>wso2carbon</Password>",
                "      <KeyPassword>wso2carbon</KeyPassword>",
                "    </KeyStore>",
                "    <TrustStore>",
                "      <Location>repository/resources/security/client-truststore.jks</Location>",
                "      <Type>JKS</Type>",
                "      <Password>wso2carbon</Password>",
                "    </TrustStore>",
                "  </profile>",
                "</parameter>",
                ""));

        CommandLineRun run = CommandLineRun.of("check", file.toString(), "--base", dir.resolve("wso2-home").toString());

        assertEquals(0, run.status, run.toString());
        assertThat(run.out).startsWith(file + ": WSO2 SSL profiles, 2 profiles loaded, 0 errors");
        String[] lines = run.out.split("\n");
        String trustOnly = lineContaining(lines, "localhost:8244");
        assertRow(trustOnly, "ok", "(trust only)", "CN=Backend CA");
        String mutual = lineContaining(lines, "backend.example.com:9443,api.backend.example.com:9443");
        assertRow(mutual, "ok", "CN=wso2-client", "CN=Client CA", "RSA 2048", notAfter(wso2Client), "CN=Backend CA");
    }

    @Test
    void failsWithOneMessageNamingFileProfileAndProblemOnWrongStorePassword() throws IOException {
        Path file = write("wrong-password.yaml", String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: good",
                "    hosts: [good.internal]",
                "    identity: {certificate: bot-chain.pem, key: bot.key}",
                "  - name: crm",
                "    hosts: [crm.internal]",
                "    identity: {keystore: crm.p12, storePassword: not-the-password-77}",
                ""));

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertEquals(1, run.status, run.toString());
        assertRow(run.row("good"), "ok", "CN=bot-client");
        assertRow(run.row("crm"), "ERROR");
        assertThat(run.err).contains("error: " + file, "profile 'crm'", "crm.p12").containsIgnoringCase("password")
                .as("no stack trace").doesNotContain("\tat ");
        assertThat(run.out + run.err).doesNotContain("not-the-password-77");
    }

    @Test
    void showsAProfileThatDidNotReadAsAnErrorRowForItsHostsAndExitsOne() throws IOException {
        Path file = write("unreadable.yaml", String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: good",
                "    hosts: [good.internal]",
                "    identity: {certificate: bot-chain.pem, key: bot.key}",
                "  - name: typo",
                "    hosts: [typo.internal, \"bad*.internal\"]",
                "    mode: sometimes",
                "    identity: {certificate: bot-chain.pem, key: bot.key}",
                "  - name: taken",
                "    hosts: [good.internal, taken.internal]",
                "    trust: {certificates: backend-ca.pem}",
                ""));

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertEquals(1, run.status, run.toString());
        assertThat(run.out).startsWith(file + ": YAML profiles, 3 profiles loaded (2 unusable), 3 errors");
        assertRow(run.row("good"), "ok", "CN=bot-client");
        // Mandatory: a mode that does not read never weakens the profile.
        assertRow(run.row("typo"), "ERROR", "mandatory", "typo.internal");
        assertThat(run.row("typo")).doesNotContain("bad*.internal");
        assertRow(run.row("taken"), "ERROR", "taken.internal", "CN=Backend CA");
        assertThat(run.row("taken")).doesNotContain("good.internal");
        assertThat(run.err).contains(
                "error: " + file + ":8: profile 'typo': mode must be mandatory or optional",
                "profile 'typo': bad host pattern 'bad*.internal'",
                "profile 'taken': host pattern 'good.internal' is already used by profile 'good'");
    }

    @Test
    void failsOnMissingFileWithOneLine() {
        Path missing = dir.resolve("nowhere.yaml");

        CommandLineRun run = CommandLineRun.of("check", missing.toString());

        assertEquals(1, run.status, run.toString());
        assertEquals("", run.out);
        assertThat(run.err.strip().split("\n")).singleElement().asString().startsWith("error: " + missing);
    }

    @Test
    void exitsTwoOnBadUsage() {
        assertEquals(2, CommandLineRun.of().status);
        assertEquals(2, CommandLineRun.of("check").status);
        assertEquals(2, CommandLineRun.of("check", "a.yaml", "b.yaml").status);
        assertEquals(2, CommandLineRun.of("check", "a.yaml", "--verbose").status);
        CommandLineRun unknown = CommandLineRun.of("chekc", "a.yaml");
        assertEquals(2, unknown.status);
        assertThat(unknown.err).contains("unknown command 'chekc'");
    }

    private static void assertRow(String row, String... cells) {
        assertThat(row).contains(cells);
    }

    private static String lineContaining(String[] lines, String text) {
        for (String line : lines) {
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no line with " + text + " in:\n" + String.join("\n", lines));
    }

    private static String notAfter(TestCertificate certificate) {
        return certificate.certificate().getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    private static Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
