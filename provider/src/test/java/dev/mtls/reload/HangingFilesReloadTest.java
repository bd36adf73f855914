package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.FileTask;
import dev.mtls.testing.Fifos;
import dev.mtls.files.UnreadableFileException;
import dev.mtls.testing.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A file that would block (a FIFO here; a hung network mount takes the same path) never captures
 * the reload: the check returns, keeps what is in force, says which file and why in the log and in
 * JMX, and applies the fix at a later check.
 */
@Timeout(120) // a guard against the hang under test, not a timing assertion
class HangingFilesReloadTest extends WatchedFolderTest {
    static final TestCertificate FIRST = client("first");
    static final TestCertificate SECOND = client("second");

    final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    final ObjectName name = AgentMBean.objectName();

    @BeforeEach
    void register() throws Exception {
        AgentMBean.register(watcher);
    }

    /** Before the base class closes the watcher. */
    @AfterEach
    void unregister() throws Exception {
        AgentMBean.unregister();
    }

    @Test
    void profileFileTurnedIntoAFifoKeepsTheProfilesInForceAndALaterFixIsApplied() throws Exception {
        files.identity("payments", FIRST).write(profile("payments", "payments.internal"));
        watcher.reloadNow();
        Files.delete(files.profiles);
        Fifos.create(files.profiles);

        ReloadOutcome stuck = watcher.reloadNow();
        watcher.reloadNow();

        String problem = files.profiles + ": not a regular file (a FIFO or a device?)";
        assertEquals(ReloadOutcome.Kind.KEPT_PREVIOUS, stuck.kind(), stuck.summary());
        assertTrue(stuck.summary().startsWith(problem), stuck.summary());
        assertEquals(FIRST.subject(), subject("payments"));
        assertEquals(1, log.count(problem), "said once, not at every check:\n" + log);
        assertEquals(problem, server.getAttribute(name, "LastError"));
        assertEquals(2L, server.getAttribute(name, "ConsecutiveFailures"));
        assertTrue(((String) server.getAttribute(name, "LastCheckResult")).startsWith("KEPT_PREVIOUS: " + problem));
        assertEquals("", server.getAttribute(name, "CheckInProgressSince"));
        Instant.parse((String) server.getAttribute(name, "LastCheckCompletedTime"));

        Files.delete(files.profiles);
        files.identity("payments", SECOND).write(profile("payments", "payments.internal"));
        ReloadOutcome fixed = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, fixed.kind(), fixed.summary());
        assertEquals(SECOND.subject(), subject("payments"));
        assertEquals(0L, server.getAttribute(name, "ConsecutiveFailures"));
        assertEquals("", server.getAttribute(name, "LastError"));
    }

    @Test
    void keyFileTurnedIntoAFifoKeepsTheLastGoodIdentityAndALaterFixIsApplied() throws Exception {
        Path key = loadedKeyTurnedIntoAFifo();

        ReloadOutcome stuck = watcher.reloadNow();

        assertEquals(FIRST.subject(), subject("payments"));
        assertTrue(((String) server.getAttribute(name, "LastError"))
                .contains(key + ": not a regular file (a FIFO or a device?)"), stuck.summary());

        Files.delete(key);
        files.identity("payments", SECOND);
        ReloadOutcome fixed = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, fixed.kind(), fixed.summary());
        assertEquals(SECOND.subject(), subject("payments"));
    }

    @Test
    void secretFileTurnedIntoAFifoKeepsTheLastGoodIdentityAndALaterFixIsApplied() throws Exception {
        FIRST.writeChain(dir.resolve("payments.pem"));
        FIRST.writeEncryptedPkcs8Key(dir.resolve("payments.key"), "first-password");
        Path secret = Files.writeString(dir.resolve("password.txt"), "first-password\n");
        files.write("  - name: payments\n    hosts: [payments.internal]\n    identity: {certificate: payments.pem,"
                + " key: payments.key, keyPassword: \"${file:password.txt}\"}\n");
        watcher.reloadNow();
        assertEquals(FIRST.subject(), subject("payments"));
        Files.delete(secret);
        Fifos.create(secret);

        watcher.reloadNow();

        assertEquals(FIRST.subject(), subject("payments"));
        assertTrue(((String) server.getAttribute(name, "LastError"))
                .contains("secret file " + secret + ": not a regular file (a FIFO or a device?)"),
                (String) server.getAttribute(name, "LastError"));

        Files.delete(secret);
        SECOND.writeChain(dir.resolve("payments.pem"));
        SECOND.writeEncryptedPkcs8Key(dir.resolve("payments.key"), "second-password");
        Files.writeString(secret, "second-password\n");
        ReloadOutcome fixed = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, fixed.kind(), fixed.summary());
        assertEquals(SECOND.subject(), subject("payments"));
    }

    /**
     * The time bound itself: a read of the key file that never returns (a FIFO opened with no
     * check, as a hung mount would block) is abandoned; the check after it does not wait again, names
     * the file once and keeps the last good identity; JMX reload() returns; once that read returns, a fix
     * is applied.
     */
    @Test
    void aKeyFileWhoseReadHangsIsAbandonedAndTheCheckReturns() throws Exception {
        Path key = loadedKeyTurnedIntoAFifo();
        try {
            // What a hung mount does to the first read of the file: it blocks past the bound.
            BoundedReads.shared().run(key, new OpenWithoutCheck());
        } catch (UnreadableFileException expected) {
            // "not read: reading it did not finish within 3 s ..."
        }

        String summary = (String) server.invoke(name, "reload", new Object[0], new String[0]);
        server.invoke(name, "reload", new Object[0], new String[0]);

        String problem = key + ": not read: reading it did not finish within 3 s";
        String lastError = (String) server.getAttribute(name, "LastError");
        assertTrue(lastError.contains(problem), lastError);
        assertTrue(summary.contains("1 problem(s)"), summary);
        assertEquals(1, log.count(problem), "said once, not at every check:\n" + log);
        assertEquals(FIRST.subject(), subject("payments"));

        Fifos.release(key);
        while (BoundedReads.shared().isStuck(key)) {
            Thread.sleep(10);
        }
        Files.delete(key);
        files.identity("payments", SECOND);
        ReloadOutcome fixed = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, fixed.kind(), fixed.summary());
        assertEquals(SECOND.subject(), subject("payments"));
    }

    /** Profile "payments" loaded with FIRST, then its key file replaced by a FIFO. */
    private Path loadedKeyTurnedIntoAFifo() throws Exception {
        files.identity("payments", FIRST).write(profile("payments", "payments.internal"));
        watcher.reloadNow();
        Path key = dir.resolve("payments.key");
        Files.delete(key);
        return Fifos.create(key);
    }

    private String subject(String profile) {
        return target.current().profile(profile).orElseThrow().identity().orElseThrow().leaf()
                .getSubjectX500Principal().getName();
    }

    private static final class OpenWithoutCheck implements FileTask<byte[]> {
        @Override
        public byte[] apply(Path file) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                return in.readAllBytes();
            }
        }
    }
}
