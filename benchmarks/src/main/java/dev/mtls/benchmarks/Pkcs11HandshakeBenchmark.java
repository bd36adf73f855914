package dev.mtls.benchmarks;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.jsse.MtlsProvider;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Full mutual-TLS handshakes in memory (as {@link InMemoryHandshakeBenchmark}), the agent's client
 * identity from a PEM key file against the same key in a SoftHSM2 token ({@code identity.pkcs11}):
 * what signing through PKCS#11 costs per handshake. SoftHSM2 is software, so this is the
 * PKCS#11 path's overhead (JNI, sessions, SunPKCS11, the provider's routing), not an HSM's speed.
 * TLS 1.3, one run with an EC P-256 key and one with RSA 2048 (RSASSA-PSS on the token); the two
 * variants alternate in slices after a common warm-up, and the setup checks that the server
 * received the certificate in both.
 *
 * <p>SoftHSM2 reads its configuration once per process, so {@code SOFTHSM2_CONF} must name a file
 * this run may write (a fresh token folder is made beside it):
 *
 * <pre>
 * SOFTHSM2_CONF=/tmp/mtls-bench-softhsm/softhsm2.conf \
 *   java -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.mtls.benchmarks.Pkcs11HandshakeBenchmark \
 *     [--warmup 20] [--rounds 10] [--seconds 2]
 * </pre>
 */
public final class Pkcs11HandshakeBenchmark {
    private static final String PASSWORD = "changeit";
    private static final String PIN = "bench-pin-1234";

    public static void main(String[] args) throws Exception {
        AlternatingRounds.Settings settings = AlternatingRounds.Settings.of(List.of(args));
        if (System.getenv("SOFTHSM2_CONF") == null || !SoftHsmToken.available()) {
            throw new IllegalStateException("needs SoftHSM2 and OpenSC, and SOFTHSM2_CONF naming a writable file");
        }
        Path dir = Files.createTempDirectory("mtls-pkcs11-bench");
        TestCertificate ca = TestPki.rootCa("PKCS#11 bench CA").create();
        TestCertificate ec = ca.issue("bench-ec").clientAuth().create();
        TestCertificate rsa = ca.issue("bench-rsa").keyType(TestPki.KeyType.RSA).clientAuth().create();
        // Both tokens before the library first loads: SoftHSM2 lists the tokens that exist then.
        SoftHsmToken token = SoftHsmToken.create(dir, "bench", PIN).importIdentity("ec", "01", ec)
                .importIdentity("rsa", "02", rsa);
        // As the agent does: its provider routes SunJSSE's signatures with a token key to the token.
        MtlsProvider.install();
        TrustManager[] trust = AlternatingRounds.trustManagers(ca.certificate());
        SSLContext server = SSLContext.getInstance("TLSv1.3");
        server.init(serverKeys(ca.issueLocalhostServer()), trust, null);

        System.out.printf("in-memory full mTLS handshakes (TLS 1.3), agent identity from a PEM file against the same key"
                + " in a SoftHSM2 token; %s %s; warm-up %d s, %d rounds of %.1f s per variant; load average %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"), settings.warmupSeconds, settings.rounds,
                settings.seconds, ChildRun.loadAverage());
        compare("EC P-256", ec, "ec", token, dir, server, trust, settings);
        compare("RSA 2048", rsa, "rsa", token, dir, server, trust, settings);
    }

    private static void compare(String keyName, TestCertificate identity, String label, SoftHsmToken token, Path dir,
            SSLContext server, TrustManager[] trust, AlternatingRounds.Settings settings) throws Exception {
        identity.writeChain(dir.resolve(label + "-chain.pem"));
        TestPki.ownerOnly(identity.writePkcs8Key(dir.resolve(label + ".key")));
        InMemoryHandshakes pem = agentClient(dir, label + "-pem.yaml", "{certificate: " + label + "-chain.pem, key: "
                + label + ".key}", server, trust);
        InMemoryHandshakes pkcs11 = agentClient(dir, label + "-pkcs11.yaml", "{pkcs11: {library: "
                + SoftHsmToken.library() + ", slot: " + token.slot() + ", pin: " + PIN + ", key: " + label + "}}",
                server, trust);
        AlternatingRounds.requireClientCertificate("pem", pem, identity);
        AlternatingRounds.requireClientCertificate("pkcs11", pkcs11, identity);

        System.out.println(keyName + ":");
        AlternatingRounds.run(List.of(pem, pkcs11), settings)
                .print("key in a PEM file    ", "key in the token     ", "token/PEM");
    }

    /** A client as the agent's SSLContext hook builds it, its profile (one, for localhost) loaded from a file. */
    private static InMemoryHandshakes agentClient(Path dir, String file, String identity, SSLContext server,
            TrustManager[] trust) throws Exception {
        Path profiles = Files.writeString(dir.resolve(file), "version: 1\nprofiles:\n"
                + "  - name: backend\n    hosts: [localhost]\n    identity: " + identity + "\n");
        LoadResult loaded = ProfileLoader.system().load(profiles, null, 1);
        if (!loaded.errors().isEmpty()) {
            throw new IllegalStateException(file + " did not load: " + loaded.errors());
        }
        ProfileSource source = new FixedSource(loaded.snapshot());
        SSLContext client = SSLContext.getInstance("TLSv1.3");
        client.init(ManagerWrapping.wrapKeyManagers(null, source), ManagerWrapping.wrapTrustManagers(trust, source),
                null);
        return new InMemoryHandshakes(client, server, true);
    }

    private static javax.net.ssl.KeyManager[] serverKeys(TestCertificate identity) throws Exception {
        KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        factory.init(identity.keyStore("PKCS12", PASSWORD, "identity"), PASSWORD.toCharArray());
        return factory.getKeyManagers();
    }

    private static final class FixedSource implements ProfileSource {
        private final ProfileSnapshot snapshot;

        FixedSource(ProfileSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        public ProfileSnapshot current() {
            return snapshot;
        }
    }
}
