package dev.mtls.jsse;

import static dev.mtls.jsse.TestCerts.NEW_PROFILE_EC;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static dev.mtls.jsse.TestClients.exchange;
import static dev.mtls.jsse.TestClients.trusting;
import static dev.mtls.jsse.TestClients.wrapped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtls.reload.ProfileWatcher;
import dev.mtls.reload.ReloadOutcome;
import dev.mtls.reload.SnapshotTarget;
import dev.mtls.reload.WatchSettings;
import dev.mtls.sessions.WrappedContexts;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestTlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's rotation end to end: new PEM files on disk, one check, and the very next
 * connection from an SSLContext that already had a cached session presents the new certificate.
 */
class RotationUnderReloadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void nextConnectionAfterAReloadPresentsTheRotatedCertificate(String protocol) throws Exception {
        PROFILE_EC.writeChain(dir.resolve("client.pem"));
        PROFILE_EC.writePkcs8Key(dir.resolve("client.key"));
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: payments\n    hosts: [localhost]\n"
                + "    identity: {certificate: client.pem, key: client.key}\n");
        PrivateTarget target = new PrivateTarget();
        SSLContext client = wrapped(null, trusting(SERVER_CA.certificate()), target::current);
        WrappedContexts.register(client);
        try (ProfileWatcher watcher = ProfileWatcher.create(WatchSettings.of(profiles).reloadOption(Duration.ZERO)
                .target(target).log((level, message) -> { }));
                TestTlsServer server = TestTlsServer.needClientAuth(SERVER, TestCerts.CLIENT_CA)) {
            watcher.reloadNow();
            exchange(client, "localhost", server.port(), protocol);
            assertEquals(PROFILE_EC.subject(), server.nextClientSubject());

            NEW_PROFILE_EC.writeChain(dir.resolve("client.pem"));
            NEW_PROFILE_EC.writePkcs8Key(dir.resolve("client.key"));
            assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());
            exchange(client, "localhost", server.port(), protocol);

            assertEquals(NEW_PROFILE_EC.subject(), server.nextClientSubject());
        }
    }

    private static final class PrivateTarget implements SnapshotTarget {
        private final AtomicReference<ProfileSnapshot> current =
                new AtomicReference<>(ProfileSnapshot.empty(Path.of("(none)")));

        @Override
        public ProfileSnapshot current() {
            return current.get();
        }

        @Override
        public boolean publishIfCurrent(ProfileSnapshot expected, ProfileSnapshot next) {
            return current.compareAndSet(expected, next);
        }
    }
}
