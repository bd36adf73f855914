package dev.mtls.agent.it;

import dev.mtls.testing.ChildJvm;
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

    TestSetup(Path directory) throws IOException {
        this.directory = directory;
        ca = TestPki.rootCa("mtls-agent IT CA").create();
        server = ca.issue("localhost").serverAuth().dns("localhost").ip("127.0.0.1").create();
        client = ca.issue("it-client").subject(CLIENT_SUBJECT).clientAuth().create();
        client.writeChain(directory.resolve("client-chain.pem"));
        TestPki.ownerOnly(client.writePkcs8Key(directory.resolve("client.key")));
        trustStore = TestPki.writeTrustStore(directory.resolve("truststore.p12"), "PKCS12", "changeit",
                ca.certificate());
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
        return jvm.jvmArgument("-Djavax.net.ssl.trustStore=" + trustStore)
                .jvmArgument("-Djavax.net.ssl.trustStorePassword=changeit")
                .jvmArgument("-Djavax.net.ssl.trustStoreType=PKCS12");
    }
}
