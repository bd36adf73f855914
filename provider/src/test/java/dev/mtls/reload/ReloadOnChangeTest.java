package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator changes on disk, and what the next check publishes. */
class ReloadOnChangeTest extends WatchedFolderTest {
    static final TestCertificate FIRST = client("first");
    static final TestCertificate SECOND = client("second");


    @Test
    void pemFilesEditedInPlaceArePublishedAtTheNextCheck() {
        files.identity("payments", FIRST).write(profile("payments", "payments.internal"));
        watcher.reloadNow();
        assertEquals(FIRST.subject(), subject("payments"));

        files.identity("payments", SECOND);
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        assertEquals(List.of("payments"), outcome.changed());
        assertEquals(SECOND.subject(), subject("payments"));
        assertEquals(2, target.current().generation());
        assertTrue(log.lines().contains("INFO reloaded " + files.profiles
                + " (generation 2): added [], changed [payments], removed []"), log.toString());
    }

    @Test
    void kubernetesSecretSwapOfTheDataSymlinkIsPickedUp() throws Exception {
        Path v1 = versionFolder("..2025_01_01_v1", FIRST);
        Path v2 = versionFolder("..2025_02_01_v2", SECOND);
        Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
        Files.createSymbolicLink(dir.resolve("tls.crt"), Path.of("..data", "tls.crt"));
        Files.createSymbolicLink(dir.resolve("tls.key"), Path.of("..data", "tls.key"));
        files.write("  - name: payments\n    hosts: [payments.internal]\n"
                + "    identity: {certificate: tls.crt, key: tls.key}\n");
        watcher.reloadNow();
        assertEquals(FIRST.subject(), subject("payments"));

        // What the kubelet does: a new link, renamed over ..data in one step.
        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
        Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        assertEquals(SECOND.subject(), subject("payments"));
    }

    @Test
    void keystoreReplacedWhileTheProfileFileStaysTheSameIsPickedUp() throws Exception {
        FIRST.writeKeyStore(dir.resolve("client.p12"), "PKCS12", "changeit", "changeit", "client");
        files.write("  - name: payments\n    hosts: [payments.internal]\n"
                + "    identity: {keystore: client.p12, storePassword: changeit}\n");
        watcher.reloadNow();
        assertEquals(FIRST.subject(), subject("payments"));

        Path staged = SECOND.writeKeyStore(dir.resolve("client.p12.new"), "PKCS12", "changeit", "changeit", "client");
        Files.move(staged, dir.resolve("client.p12"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        assertEquals(SECOND.subject(), subject("payments"));
    }

    @Test
    void secretFileNamedWithFileReferenceIsWatched() throws Exception {
        FIRST.writeKeyStore(dir.resolve("client.p12"), "PKCS12", "changeit", "changeit", "client");
        Files.writeString(dir.resolve("store-password.txt"), "not-the-password\n");
        files.write("  - name: payments\n    hosts: [payments.internal]\n"
                + "    identity: {keystore: client.p12, storePassword: \"${file:store-password.txt}\"}\n");
        watcher.reloadNow();
        assertTrue(target.current().profile("payments").orElseThrow().identity().isEmpty());

        // Only the secret file changes: the reload must notice it, as it notices key material.
        Files.writeString(dir.resolve("store-password.txt"), "changeit\n");
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        assertEquals(FIRST.subject(), subject("payments"));
    }

    @Test
    void addedProfileIsPublishedAndRemovedProfileIsWithdrawn() {
        files.identity("a", FIRST).identity("b", SECOND).write(profile("a", "a.internal"));
        watcher.reloadNow();

        files.write(profile("a", "a.internal"), profile("b", "b.internal"));
        ReloadOutcome added = watcher.reloadNow();
        assertEquals(List.of("b"), added.added());
        assertTrue(target.current().match("b.internal", 443).isPresent());

        files.write(profile("b", "b.internal"));
        ReloadOutcome removed = watcher.reloadNow();
        assertEquals(List.of("a"), removed.removed());
        assertTrue(target.current().match("a.internal", 443).isEmpty());
        assertEquals(3, target.current().generation());
    }

    @Test
    void rewritingTheSameContentPublishesNothing() {
        files.identity("payments", FIRST).write(profile("payments", "payments.internal"));
        watcher.reloadNow();
        ProfileSnapshot published = target.current();
        log.clear();

        files.identity("payments", FIRST).writeText("# comments change nothing an operator can see\n"
                + "version: 1\nprofiles:\n" + profile("payments", "payments.internal"));
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.UNCHANGED, outcome.kind(), outcome.summary());
        assertSame(published, target.current());
        assertEquals(List.of(), log.visible());
    }

    @Test
    void aCheckWithNothingChangedLeavesTheGenerationAlone() {
        files.identity("payments", FIRST).write(profile("payments", "payments.internal"));
        watcher.reloadNow();

        for (int i = 0; i < 3; i++) {
            assertEquals(ReloadOutcome.Kind.UNCHANGED, watcher.reloadNow().kind());
        }

        assertEquals(1, target.published().size());
        assertEquals(1, watcher.generation());
    }

    @Test
    void profilesWhoseFilesDidNotChangeAreTakenOverAsTheyWere() {
        files.identity("a", FIRST).identity("b", FIRST).write(profile("a", "a.internal"), profile("b", "b.internal"));
        watcher.reloadNow();
        ProfileSnapshot before = target.current();

        files.identity("a", SECOND);
        watcher.reloadNow();

        assertSame(before.profile("b").orElseThrow(), target.current().profile("b").orElseThrow());
        assertEquals(SECOND.subject(), subject("a"));
    }

    private Path versionFolder(String name, TestCertificate identity) throws Exception {
        Path folder = Files.createDirectory(dir.resolve(name));
        identity.writeChain(folder.resolve("tls.crt"));
        identity.writePkcs8Key(folder.resolve("tls.key"));
        return folder;
    }

    private String subject(String profile) {
        return target.current().profile(profile).orElseThrow().identity().orElseThrow().leaf()
                .getSubjectX500Principal().getName();
    }
}
