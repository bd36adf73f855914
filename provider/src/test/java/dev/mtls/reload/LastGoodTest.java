package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.client;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload that fails keeps what worked: the whole file's snapshot, or one profile's previous version. */
class LastGoodTest extends WatchedFolderTest {
    static final TestCertificate A1 = client("a-1");
    static final TestCertificate A2 = client("a-2");
    static final TestCertificate B1 = client("b-1");
    static final TestCertificate B2 = client("b-2");


    @Test
    void fileThatNoLongerParsesKeepsThePreviousSnapshotAndIsLoggedOnce() {
        files.identity("a", A1).write(profile("a", "a.internal"));
        watcher.reloadNow();
        ProfileSnapshot good = target.current();

        files.writeText("version: 1\nprofiles: [ {name: a\n");
        for (int tick = 0; tick < 3; tick++) {
            assertEquals(ReloadOutcome.Kind.KEPT_PREVIOUS, watcher.reloadNow().kind());
        }

        assertSame(good, target.current());
        assertEquals(1, log.lines().stream().filter(line -> line.startsWith("ERROR " + files.profiles)).count(),
                log.toString());
        assertEquals(3, watcher.status().failures());
        assertTrue(watcher.status().lastError().startsWith(files.profiles.toString()), watcher.status().lastError());
    }

    @Test
    void anErrorThatWentAwayAndCameBackIsLoggedAgain() {
        files.identity("a", A1).write(profile("a", "a.internal"));
        watcher.reloadNow();
        files.writeText("version: 2\nprofiles: []\n");
        watcher.reloadNow();
        watcher.reloadNow();

        files.identity("a", A2).write(profile("a", "a.internal"));
        assertEquals(ReloadOutcome.Kind.RELOADED, watcher.reloadNow().kind());
        assertEquals("", watcher.status().lastError());
        files.writeText("version: 2\nprofiles: []\n");
        watcher.reloadNow();

        assertEquals(2, log.count("unsupported version '2'"), log.toString());
    }

    @Test
    void brokenProfileKeepsItsPreviousVersionWhileTheOthersUpdate() throws Exception {
        files.identity("a", A1).identity("b", B1).write(profile("a", "a.internal"), profile("b", "b.internal"));
        watcher.reloadNow();

        files.identity("a", A2);
        Files.writeString(dir.resolve("b.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(List.of("a"), outcome.changed(), outcome.summary());
        assertEquals(A2.subject(), subject("a"));
        LoadedProfile b = target.current().profile("b").orElseThrow();
        assertTrue(b.isUsable());
        assertEquals(B1.subject(), subject("b"));
        assertEquals(1, log.lines().stream().filter(line -> line.startsWith("ERROR") && line.contains("'b'")).count(),
                log.toString());
        assertEquals(1, log.count("profile 'b': keeping its previous version until the error is fixed"));

        // Retried on every tick, quietly, until fixed.
        assertEquals(ReloadOutcome.Kind.UNCHANGED, watcher.reloadNow().kind());
        assertEquals(1, log.count("profile 'b': keeping its previous version"));
        files.identity("b", B2);
        assertEquals(List.of("b"), watcher.reloadNow().changed());
        assertEquals(B2.subject(), subject("b"));
    }

    @Test
    void profileWhoseDefinitionNoLongerParsesKeepsItsPreviousVersion() {
        files.identity("a", A1).identity("b", B1).write(profile("a", "a.internal"), profile("b", "b.internal"));
        watcher.reloadNow();

        files.write(profile("a", "a*.internal"), profile("b", "b.internal"));
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.UNCHANGED, outcome.kind(), outcome.summary());
        assertEquals(A1.subject(), target.current().match("a.internal", 443).orElseThrow().value()
                .identity().orElseThrow().leaf().getSubjectX500Principal().getName());
        assertTrue(log.count("a*.internal") > 0, log.toString());
    }

    @Test
    void profileThatGainsAnUnknownFieldOrABadHostKeepsItsPreviousUsableVersion() {
        files.identity("a", A1).identity("b", B1).write(profile("a", "a.internal"), profile("b", "b.internal"));
        watcher.reloadNow();

        files.write("  - name: a\n    hosts: [a.internal]\n    colour: blue\n"
                + "    identity: {certificate: a.pem, key: a.key}\n",
                "  - name: b\n    hosts: [b.internal, \"x*.internal\"]\n"
                + "    identity: {certificate: b.pem, key: b.key}\n");
        watcher.reloadNow();

        assertTrue(target.current().match("a.internal", 443).orElseThrow().value().isUsable());
        assertTrue(target.current().match("b.internal", 443).orElseThrow().value().isUsable());
        assertEquals(1, log.count("profile 'a': keeping its previous version until the error is fixed"),
                log.toString());
        assertEquals(1, log.count("profile 'b': keeping its previous version until the error is fixed"),
                log.toString());
    }

    @Test
    void keptProfileGivesUpAHostThatAnotherProfileNowClaims() throws Exception {
        files.identity("a", A1).identity("b", B1).write(
                "  - name: a\n    hosts: [shared.internal, a.internal]\n"
                        + "    identity: {certificate: a.pem, key: a.key}\n",
                profile("b", "b.internal"));
        watcher.reloadNow();

        // The operator moves shared.internal to b, and a's key breaks at the same time.
        Files.delete(dir.resolve("a.key"));
        files.write(profile("a", "a.internal"),
                "  - name: b\n    hosts: [b.internal, shared.internal]\n"
                        + "    identity: {certificate: b.pem, key: b.key}\n");
        watcher.reloadNow();

        assertEquals("b", target.current().match("shared.internal", 443).orElseThrow().value().name());
        assertEquals("a", target.current().match("a.internal", 443).orElseThrow().value().name());
        assertTrue(target.current().profile("a").orElseThrow().isUsable());
        assertEquals(1, log.count("host patterns taken over by other profiles: 'shared.internal' (now profile 'b')"),
                log.toString());
    }

    @Test
    void profileThatFailsFromTheStartStaysUnusableSoItsHostsFailClosed() {
        files.identity("a", A1).write(profile("a", "a.internal"),
                "  - name: b\n    hosts: [b.internal]\n    identity: {certificate: a.pem, key: missing.key}\n");

        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind());
        LoadedProfile b = target.current().match("b.internal", 443).orElseThrow().value();
        assertFalse(b.isUsable());
        assertTrue(b.problem().orElseThrow().contains("missing.key"), b.problem().toString());
        assertTrue(target.current().profile("a").orElseThrow().isUsable());
    }

    @Test
    void profileRemovedFromTheFileIsRemovedEvenIfItsFilesAreGone() throws Exception {
        files.identity("a", A1).identity("b", B1).write(profile("a", "a.internal"), profile("b", "b.internal"));
        watcher.reloadNow();

        Files.delete(dir.resolve("b.key"));
        files.write(profile("a", "a.internal"));
        ReloadOutcome outcome = watcher.reloadNow();

        assertEquals(List.of("b"), outcome.removed());
        assertTrue(target.current().profile("b").isEmpty());
        assertEquals("", watcher.status().lastError());
    }

    private String subject(String profile) {
        return target.current().profile(profile).orElseThrow().identity().orElseThrow().leaf()
                .getSubjectX500Principal().getName();
    }
}
