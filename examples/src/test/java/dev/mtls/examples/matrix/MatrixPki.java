package dev.mtls.examples.matrix;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.LocalhostPki;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The PKI and files the whole matrix shares, generated at test time: one CA; a server
 * certificate for localhost and 127.0.0.1; the profile's client identity, whose CN is also the
 * PostgreSQL role it logs in as; a second identity an application configures for itself; a
 * truststore with the CA; and a profile file that gives "localhost" the profile's identity.
 */
final class MatrixPki {
    /** The role name PostgreSQL's cert authentication takes from the CN. */
    static final String PROFILE_ROLE = "mtls_profile";
    static final String PROFILE_SUBJECT = "CN=" + PROFILE_ROLE + ",O=mtls-agent matrix";
    static final String APPLICATION_ROLE = "app_own";
    static final String MATCHING_HOST = "localhost";
    static final String OTHER_HOST = "127.0.0.1";

    final Path directory;
    private final LocalhostPki pki;
    final TestCertificate ca;
    final TestCertificate server;
    final TestCertificate profileIdentity;
    final TestCertificate applicationIdentity;
    final Path caPem;
    final Path serverChainPem;
    final Path serverKeyPem;
    final Path trustStore;
    final Path profiles;

    MatrixPki(Path directory) throws IOException {
        this.directory = directory;
        pki = new LocalhostPki(directory, "mtls-agent matrix CA");
        ca = pki.ca;
        server = pki.server;
        trustStore = pki.trustStore;
        profileIdentity = pki.client(PROFILE_SUBJECT);
        applicationIdentity = pki.client("CN=" + APPLICATION_ROLE);
        caPem = ca.writeCertificate(directory.resolve("ca.pem"));
        serverChainPem = server.writeChain(directory.resolve("server-chain.pem"));
        serverKeyPem = TestPki.ownerOnly(server.writePkcs8Key(directory.resolve("server.key")));
        profileIdentity.writeChain(directory.resolve("profile-chain.pem"));
        TestPki.ownerOnly(profileIdentity.writePkcs8Key(directory.resolve("profile.key")));
        profiles = Files.writeString(directory.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: matrix-backend",
                "    hosts: [" + MATCHING_HOST + "]",
                "    identity:",
                "      certificate: profile-chain.pem",
                "      key: profile.key",
                ""));
    }

    /** The client trusts the test CA the JVM-wide way, as an operator would configure an unmodified service. */
    ChildJvm trustingClient(ChildJvm jvm) {
        return pki.trustingClient(jvm);
    }

    /**
     * Writes an identity where a profile or listener reads it, each file replaced in one move, key
     * first, as a deployment tool does: a reader never sees a half-written file.
     */
    static void install(TestCertificate identity, Path chain, Path key) throws IOException {
        Path newChain = identity.writeChain(chain.resolveSibling(chain.getFileName() + ".new"));
        Path newKey = TestPki.ownerOnly(identity.writePkcs8Key(key.resolveSibling(key.getFileName() + ".new")));
        Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(newChain, chain, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
