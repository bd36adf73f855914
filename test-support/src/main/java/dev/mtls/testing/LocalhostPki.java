package dev.mtls.testing;

import java.nio.file.Path;

/**
 * The PKI a test of client applications against servers on this machine starts from, made at test
 * time: a CA, a server certificate for localhost and 127.0.0.1, client certificates on demand, and a
 * PKCS12 truststore with the CA, written to the test's folder, that client JVMs use the standard way.
 */
public final class LocalhostPki {
    public static final String TRUST_STORE_PASSWORD = "changeit";

    public final TestCertificate ca;
    public final TestCertificate server;
    /** {@code <directory>/truststore.p12}, password {@value #TRUST_STORE_PASSWORD}. */
    public final Path trustStore;

    /** A new CA named {@code CN=<caName>}; the truststore goes to {@code directory}. */
    public LocalhostPki(Path directory, String caName) {
        ca = TestPki.rootCa(caName).create();
        server = ca.issueLocalhostServer();
        trustStore = TestPki.writeTrustStore(directory.resolve("truststore.p12"), "PKCS12", TRUST_STORE_PASSWORD,
                ca.certificate());
    }

    /** A client certificate from the CA with this subject, e.g. "CN=it-client,O=mtls-agent". */
    public TestCertificate client(String subject) {
        return ca.issue("client").subject(subject).clientAuth().create();
    }

    /** The client application trusts the CA through the javax.net.ssl properties, as an operator configures it. */
    public ChildJvm trustingClient(ChildJvm jvm) {
        return jvm.systemProperty("javax.net.ssl.trustStore", trustStore.toString())
                .systemProperty("javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD)
                .systemProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }
}
