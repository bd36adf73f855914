package dev.mtls.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.profile.TlsSpec;
import dev.mtls.profile.TrustSpec;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} shows each profile's and listener's policy (docs/POLICY.md) in a table below theirs. */
class CheckPolicyTest {
    private static final String PIN = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

    @TempDir
    static Path dir;

    @BeforeAll
    static void makePki() {
        TestCertificate clientCa = TestPki.rootCa("Client CA").create();
        TestPki.writePem(dir.resolve("client-ca.pem"), clientCa.certificate());
    }

    @Test
    void printsOneRowPerCheckBelowTheProfilesAndTheListeners() throws IOException {
        Path file = write("policy.yaml",
                "version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [payments.internal]",
                "    trust:",
                "      revocation: {ocsp: true}",
                "      serverNames: [payments.internal, \"spiffe://bank.example/payments\"]",
                "      pins: [\"" + PIN + "\", \"sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"]",
                "    tls: {minVersion: TLSv1.3, cipherSuites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]}",
                "  - name: plain",
                "    hosts: [plain.internal]",
                "    trust: {certificates: client-ca.pem}",
                "listeners:",
                "  - name: api",
                "    ports: [8443]",
                "    clientAuth: mandatory",
                "    trust:",
                "      certificates: client-ca.pem",
                "      revocation: {ocspResponder: \"http://127.0.0.1:2560\", onUnknown: allow, scope: chain}");

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(run.err).isEmpty();
        assertThat(run.row("payments")).matches("payments +ok +mandatory +payments.internal +\\(trust only\\) +- +- +-"
                + " +application's \\+ policy");
        assertThat(run.out).contains(String.join("\n",
                "",
                "PROFILE   POLICY       SETTING",
                "payments  revocation   OCSP (AIA), onUnknown fail, scope leaf",
                "payments  serverNames  payments.internal, spiffe://bank.example/payments",
                "payments  pins         2 (sha256/47DEQpj8HBSa…, sha256/AAAAAAAAAAAA…)",
                "payments  tls          minVersion TLSv1.3, cipherSuites TLS_AES_128_GCM_SHA256 TLS_AES_256_GCM_SHA384",
                "",
                "LISTENER "));
        assertThat(run.out).endsWith(String.join("\n",
                "",
                "LISTENER  POLICY      SETTING",
                "api       revocation  OCSP http://127.0.0.1:2560, onUnknown allow, scope chain",
                ""));
    }

    @Test
    void printsNoPolicyTableWhenNoProfileHasAPolicy() throws IOException {
        Path file = write("plain.yaml",
                "version: 1",
                "profiles:",
                "  - name: plain",
                "    hosts: [plain.internal]",
                "    trust: {certificates: client-ca.pem}");

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(run.out).doesNotContain("POLICY");
    }

    @Test
    void showsABrokenPolicyAsAnErrorRowWithTheMessage() throws IOException {
        Path file = write("broken-policy.yaml",
                "version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [payments.internal]",
                "    mode: optional",
                "    trust:",
                "      certificates: client-ca.pem",
                "      pins: [\"sha256/not-a-pin\"]");

        CommandLineRun run = CommandLineRun.of("check", file.toString());

        assertThat(run.status).as(run.toString()).isEqualTo(1);
        assertThat(run.row("payments")).matches("payments +ERROR +optional +payments.internal .*");
        assertThat(run.out).doesNotContain("POLICY");
        assertThat(run.err).startsWith("error: " + file + ":8: profile 'payments': trust.pins 'sha256/not-a-pin' is not"
                + " a pin: write sha256/ and the standard base64");
    }

    @Test
    void showsTheCrlsNextUpdateRelativeToTheProfileFolderAndMarksAnOutdatedOne() {
        Instant now = Instant.parse("2026-12-05T04:00:00Z");
        Path folder = Path.of("/etc/mtls");
        Path current = folder.resolve("certs/backend-ca.crl");
        Path outdated = Path.of("/var/crl/root.crl");
        Path missing = folder.resolve("certs/missing.crl");
        TrustAnchors loaded = TrustAnchors.applicationTrust().withRevocationLists(List.of(
                new RevocationList(current, crlDue("2026-12-06T04:00:00Z")),
                new RevocationList(outdated, crlDue("2026-12-04T23:30:00Z"))));
        RevocationSpec revocation = new RevocationSpec(List.of(current, outdated, missing), true,
                URI.create("http://ocsp.internal"), RevocationSpec.OnUnknown.FAIL, RevocationSpec.Scope.LEAF);
        TrustSpec trust = TrustSpec.applicationTrust().withChecks(revocation, List.of(), List.of());

        List<String[]> rows = new PolicyRows(folder, now).of("payments", trust, loaded, new TlsSpec("TLSv1.2",
                List.of()));

        assertThat(rows).containsExactly(
                new String[] {"payments", "revocation", "CRL certs/backend-ca.crl (next update 2026-12-06 04:00 UTC),"
                        + " CRL /var/crl/root.crl (OUTDATED: next update was 2026-12-04 23:30 UTC),"
                        + " CRL certs/missing.crl, OCSP http://ocsp.internal, onUnknown fail, scope leaf"},
                new String[] {"payments", "tls", "minVersion TLSv1.2"});
    }

    private static X509CRL crlDue(String nextUpdate) {
        // Only the date is read: a mock rather than a signed CRL.
        X509CRL crl = mock(X509CRL.class);
        when(crl.getNextUpdate()).thenReturn(Date.from(Instant.parse(nextUpdate)));
        return crl;
    }

    private static Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
