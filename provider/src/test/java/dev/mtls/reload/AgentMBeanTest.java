package dev.mtls.reload;

import dev.mtls.material.Names;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.listen.ListenerCounts;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees in a JMX console under dev.mtls:type=Agent. */
class AgentMBeanTest {
    static final TestCertificate PAYMENTS = client("payments-client");

    @TempDir
    Path dir;
    ProfileFiles files;
    ProfileWatcher watcher;
    final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    final ObjectName name = AgentMBean.objectName();

    @BeforeEach
    void register() throws Exception {
        files = new ProfileFiles(dir).identity("payments", PAYMENTS);
        files.write(profile("payments", "payments.internal"),
                "  - name: broken\n    hosts: [broken.internal]\n"
                        + "    identity: {certificate: payments.pem, key: gone.key, keyPassword: do-not-show}\n");
        watcher = ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO)
                .target(new RecordingTarget()).log(new RecordingLog()));
        AgentMBean.register(watcher);
    }

    @AfterEach
    void unregister() throws Exception {
        AgentMBean.unregister();
        watcher.close();
    }

    @Test
    void reloadOperationChecksAtOnceAndSaysWhatHappened() throws Exception {
        String summary = (String) server.invoke(name, "reload", new Object[0], new String[0]);

        assertEquals("reloaded (generation 1): added [payments, broken], changed [], removed []; 1 problem(s), see"
                + " the log", summary);
        assertEquals(1L, server.getAttribute(name, "Generation"));
        assertEquals(files.profiles.toString(), server.getAttribute(name, "ProfileFile"));
        assertFalse(((String) server.getAttribute(name, "LastError")).isEmpty());
        assertEquals(1L, server.getAttribute(name, "FailureCount"));
        Instant.parse((String) server.getAttribute(name, "LastReloadTime"));
        Instant.parse((String) server.getAttribute(name, "LastCheckTime"));
        assertEquals("PT0S", server.getAttribute(name, "ReloadInterval"));
        assertEquals("RELOADED: " + summary, server.getAttribute(name, "LastCheckResult"));
        assertEquals(1L, server.getAttribute(name, "ConsecutiveFailures"));
        assertEquals("", server.getAttribute(name, "CheckInProgressSince"));
        Instant.parse((String) server.getAttribute(name, "LastCheckCompletedTime"));
    }

    @Test
    void profilesShowSubjectExpiryAndUsabilityButNoSecrets() throws Exception {
        server.invoke(name, "reload", new Object[0], new String[0]);

        CompositeData[] profiles = (CompositeData[]) server.getAttribute(name, "Profiles");

        CompositeData payments = profiles[0];
        assertEquals("payments", payments.get("name"));
        assertEquals("[payments.internal]", Arrays.toString((String[]) payments.get("hosts")));
        Instant notAfter = PAYMENTS.certificate().getNotAfter().toInstant();
        assertEquals("CN=payments-client", payments.get("subject"));
        assertEquals(notAfter.toString(), payments.get("notAfter"));
        assertEquals("valid until " + notAfter, payments.get("validity"));
        assertEquals(true, payments.get("usable"));
        assertEquals("", payments.get("problem"));
        CompositeData broken = profiles[1];
        assertEquals(false, broken.get("usable"));
        assertTrue(((String) broken.get("problem")).contains("gone.key"));
        assertFalse(Arrays.toString(profiles).contains("do-not-show"));
    }

    @Test
    void profileCloseToExpiryShowsTheSameWordsAsTheLogAndNamesItsSubjectInRfc2253() throws Exception {
        Instant now = Instant.now();
        TestCertificate expiring = ProfileFiles.CA.issue("expiring").subject("CN=expiring, O=Acme").clientAuth()
                .validity(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)))
                .create();
        files.identity("payments", expiring).write(profile("payments", "payments.internal"));

        server.invoke(name, "reload", new Object[0], new String[0]);

        CompositeData payments = ((CompositeData[]) server.getAttribute(name, "Profiles"))[0];
        Instant notAfter = expiring.certificate().getNotAfter().toInstant();
        assertEquals("CN=expiring,O=Acme", payments.get("subject"));
        assertEquals("expires on " + notAfter + " (in 3 days)", payments.get("validity"));
    }

    @Test
    void listenersShowPortsModeServerCertificateAndTheirCounts() throws Exception {
        TestCertificate server = ProfileFiles.CA.issue("jmx-server").serverAuth().dns("localhost").create();
        files.identity("server", server);
        TestPki.writePem(dir.resolve("client-ca.pem"), ProfileFiles.CA.certificate());
        files.writeText("version: 1\nlisteners:\n"
                + "  - name: jmx-api\n    ports: [8443, 9443]\n    clientAuth: mandatory\n"
                + "    trust: {certificates: client-ca.pem}\n"
                + "    identity: {certificate: server.pem, key: server.key}\n");
        // Counts are per listener name for the whole JVM; this name is this test's own.
        ListenerCounts.accepted("jmx-api");
        ListenerCounts.acceptedWithoutCertificate("jmx-api");
        ListenerCounts.acceptedWithoutCertificate("jmx-api");
        ListenerCounts.refused("jmx-api", "untrusted");
        this.server.invoke(name, "reload", new Object[0], new String[0]);

        CompositeData api = ((CompositeData[]) this.server.getAttribute(name, "Listeners"))[0];

        assertEquals("jmx-api", api.get("name"));
        assertEquals("[8443, 9443]", Arrays.toString((Integer[]) api.get("ports")));
        assertEquals("mandatory", api.get("clientAuth"));
        assertEquals(Names.subject(server.certificate()), api.get("serverSubject"));
        assertEquals(server.certificate().getNotAfter().toInstant().toString(), api.get("serverNotAfter"));
        assertEquals(true, api.get("usable"));
        assertEquals(1L, api.get("accepted"));
        assertEquals(2L, api.get("acceptedWithoutCertificate"));
        TabularData refused = (TabularData) api.get("refused");
        assertEquals(1, refused.size());
        assertEquals(1L, refused.get(new Object[] {"untrusted"}).get("value"));
    }

    @Test
    void registeringTwiceIsHarmlessAndShowsTheNewestWatcher() throws Exception {
        Path other = Files.writeString(dir.resolve("other.yaml"), "version: 1\nprofiles: []\n");
        try (ProfileWatcher second = ProfileWatcher.create(WatchSettings.of(other).reloadOption(Duration.ZERO)
                .target(new RecordingTarget()).log(new RecordingLog()))) {
            AgentMBean.register(second);

            assertEquals(other.toString(), server.getAttribute(name, "ProfileFile"));
        }
        AgentMBean.unregister();
        AgentMBean.unregister();
        assertFalse(server.isRegistered(name));
    }
}
