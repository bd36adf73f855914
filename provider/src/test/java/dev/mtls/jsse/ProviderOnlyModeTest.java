package dev.mtls.jsse;

import static dev.mtls.jsse.TestCerts.CLIENT_CA;
import static dev.mtls.jsse.TestCerts.PROFILE_EC;
import static dev.mtls.jsse.TestCerts.SERVER;
import static dev.mtls.jsse.TestCerts.SERVER_CA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.Fifos;
import dev.mtls.profile.Mode;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.GlobalJsseState;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider-only mode: the profile file named by the provider's argument or {@code mtls.profiles},
 * loaded once. End to end in a child JVM: no agent, only a {@code java.security} override
 * listing the provider ahead of SunJSSE. An unmodified HttpsURLConnection client (the default
 * SSLContext, trust from {@code javax.net.ssl.trustStore}) presents the profile's certificate.
 */
class ProviderOnlyModeTest {
    @TempDir
    Path dir;
    private final GlobalJsseState state = new GlobalJsseState();

    @AfterEach
    void restoreProfiles() {
        state.restore();
    }

    @Test
    void configuredProviderLoadsTheFileOnceAtFirstUse() throws Exception {
        MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(writeProfiles().toString());
        ProfileSnapshot loaded = provider.source().current();
        assertSame(loaded, ActiveProfiles.current());
        assertEquals(1, loaded.generation());
        assertTrue(loaded.profile("payments").orElseThrow().isUsable());
        assertSame(loaded, provider.source().current());
    }

    @Test
    void configuredProviderKeepsAProfileThatDoesNotReadSoItsHostsFailClosed() throws Exception {
        Path file = Files.writeString(dir.resolve("typo.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [localhost]",
                "    identity: {certificate: client.pem, key: client.key, keyPasword: x}",
                ""));
        MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(file.toString());

        LoadedProfile payments = provider.source().current().match("localhost", 443).orElseThrow().value();

        assertEquals("payments", payments.name());
        assertFalse(payments.isUsable());
        assertEquals(Mode.MANDATORY, payments.mode());
        assertTrue(payments.problem().orElseThrow().contains("unknown field 'keyPasword' in identity"),
                payments.problem().orElseThrow());
    }

    @Test
    void profilesTheAgentLoadsWinOverTheProviderFile() throws Exception {
        ProfileSnapshot published = Profiles.snapshot(5, Profiles.profile("other", "other.internal").build());
        ActiveProfiles.loadingNow();
        ActiveProfiles.publish(published);
        MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(writeProfiles().toString());
        assertSame(published, provider.source().current());
    }

    @Test
    void unreadableProfileFileIsLoggedAndChangesNothing() {
        ProfileSnapshot before = ActiveProfiles.current();
        MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(dir.resolve("missing.yaml").toString());
        assertSame(before, provider.source().current());
    }

    @Test
    void profileFileThatIsAFifoIsLoggedAndTheHandshakeThreadIsNotCaptured() throws Exception {
        Path fifo = Fifos.create(dir.resolve("profiles.yaml"));
        ProfileSnapshot before = ActiveProfiles.current();
        try (LoggedLines logged = new LoggedLines()) {
            MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(fifo.toString());

            assertSame(before, provider.source().current());
            assertTrue(logged.contains(fifo + ": not a regular file (a FIFO or a device?)"), logged.toString());
        }
    }

    @Test
    void keyFileThatIsAFifoIsLoggedAndItsProfilePresentsNothing() throws Exception {
        Path profiles = writeProfiles();
        Path key = dir.resolve("client.key");
        Files.delete(key);
        Fifos.create(key);
        try (LoggedLines logged = new LoggedLines()) {
            MtlsProvider provider = (MtlsProvider) new MtlsProvider().configure(profiles.toString());

            ProfileSnapshot loaded = provider.source().current();
            assertFalse(loaded.profile("payments").map(LoadedProfile::isUsable).orElse(false));
            assertTrue(logged.contains(key + ": not a regular file (a FIFO or a device?)"), logged.toString());
        }
    }

    /** What the provider logs through System.Logger, which goes to java.util.logging here. */
    private static final class LoggedLines extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.mtls");
        private final List<String> lines = new ArrayList<>();

        LoggedLines() {
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            lines.add(new SimpleFormatter().formatMessage(record));
        }

        synchronized boolean contains(String text) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public synchronized String toString() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void profilePathAsProviderArgumentCoversTheDefaultContext() throws Exception {
        Path profiles = writeProfiles();
        Path security = writeSecurityOverride("dev.mtls.jsse.MtlsProvider " + profiles);
        assertEquals(PROFILE_EC.subject(), runClient(List.of("-Djava.security.properties=" + security)));
    }

    @Test
    void profilePathFromSystemPropertyCoversTheDefaultContext() throws Exception {
        Path profiles = writeProfiles();
        Path security = writeSecurityOverride("dev.mtls.jsse.MtlsProvider");
        assertEquals(PROFILE_EC.subject(), runClient(List.of("-Djava.security.properties=" + security,
                "-Dmtls.profiles=" + profiles)));
    }

    private Path writeProfiles() throws IOException {
        PROFILE_EC.writeChain(dir.resolve("client.pem"));
        PROFILE_EC.writePkcs8Key(dir.resolve("client.key"));
        return Files.writeString(dir.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: payments",
                "    hosts: [localhost]",
                "    identity:",
                "      certificate: client.pem",
                "      key: client.key",
                ""));
    }

    /** This JVM's provider list, with ours inserted just before SunJSSE. */
    private Path writeSecurityOverride(String ours) throws IOException {
        List<String> lines = new ArrayList<>();
        int position = 1;
        for (Provider provider : Security.getProviders()) {
            if (provider.getName().equals("SunJSSE")) {
                lines.add("security.provider." + position++ + "=" + ours);
            }
            lines.add("security.provider." + position++ + "=" + provider.getName());
        }
        return Files.write(dir.resolve("java.security"), lines);
    }

    private String runClient(List<String> options) throws Exception {
        Path trustStore = TestPki.writeTrustStore(dir.resolve("truststore.p12"), "PKCS12", "changeit",
                SERVER_CA.certificate());
        try (JdkTlsServer server = JdkTlsServer.requiringClientCertificate(SERVER, CLIENT_CA)) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xshare:auto", "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=changeit"));
            command.addAll(options);
            command.addAll(List.of(Client.class.getName(), "https://localhost:" + server.port() + "/"));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("provider before SunJSSE: MtlsAgent"), output);
            assertTrue(output.contains("server saw: "), output);
            return server.subjectSeen("/");
        }
    }

    /** An unmodified client: the default SSLContext, nothing of ours referenced. */
    static final class Client {
        public static void main(String[] args) throws Exception {
            Provider[] providers = Security.getProviders();
            for (int i = 1; i < providers.length; i++) {
                if (providers[i].getName().equals("SunJSSE")) {
                    System.out.println("provider before SunJSSE: " + providers[i - 1].getName());
                }
            }
            HttpsURLConnection connection = (HttpsURLConnection) new URL(args[0]).openConnection();
            try (InputStream body = connection.getInputStream()) {
                System.out.println("server saw: " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
