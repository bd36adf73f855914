package dev.mtls.agent.it;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.LocalhostPki;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PKI and files every integration test shares, generated at test time: a CA, a server
 * certificate for localhost and 127.0.0.1, a client identity as PEM files, a truststore for the
 * client applications, and a profile file that maps "localhost" to the client identity.
 */
final class TestSetup {
    static final String CLIENT_SUBJECT = "CN=it-client,O=mtls-agent";
    static final String PROFILE = "it-backend";

    final TestCertificate ca;
    final TestCertificate server;
    final TestCertificate client;
    final Path directory;
    final Path profiles;
    final Path trustStore;

    private final LocalhostPki pki;

    TestSetup(Path directory) throws IOException {
        this.directory = directory;
        pki = new LocalhostPki(directory, "mtls-agent IT CA");
        ca = pki.ca;
        server = pki.server;
        trustStore = pki.trustStore;
        client = pki.client(CLIENT_SUBJECT);
        client.writeChain(directory.resolve("client-chain.pem"));
        TestPki.ownerOnly(client.writePkcs8Key(directory.resolve("client.key")));
        profiles = Files.writeString(directory.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: " + PROFILE,
                "    hosts: [localhost]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: client.key",
                ""));
    }

    /** The client applications trust the test CA the standard way, as an operator would configure them. */
    ChildJvm trustingClient(ChildJvm jvm) {
        return pki.trustingClient(jvm);
    }
}
