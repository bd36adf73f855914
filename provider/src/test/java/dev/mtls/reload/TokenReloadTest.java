package dev.mtls.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.material.SoftHsmFixture;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the next check does when the token, not a file, changes: a certificate imported under the
 * label is published; a label found empty mid-swap keeps the last good identity; an unchanged
 * token is not reloaded on every tick.
 */
class TokenReloadTest {
    @TempDir
    Path dir;
    ProfileFiles files;
    final RecordingTarget target = new RecordingTarget();
    final RecordingLog log = new RecordingLog();
    ProfileWatcher watcher;
    SoftHsmToken token;

    @BeforeAll
    static void tokens() {
        assumeTrue(SoftHsmToken.available(), "SoftHSM2 and OpenSC (pkcs11-tool) are not installed");
    }

    @BeforeEach
    void watch() {
        token = SoftHsmFixture.get().reloading;
        files = new ProfileFiles(dir);
        files.write("  - name: bot\n    hosts: [api.example.com]\n    identity:\n      pkcs11: {library: "
                + SoftHsmToken.library() + ", token: " + token.label() + ", pin: " + SoftHsmFixture.PIN
                + ", key: bot-ec}\n");
        watcher = ProfileWatcher.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO)
                .target(target).log(log));
    }

    @AfterEach
    void close() {
        watcher.close();
    }

    @Test
    void aCertificateImportedUnderTheLabelIsPublishedAndALabelEmptyMidSwapKeepsTheLastGood() {
        ReloadOutcome first = watcher.reloadNow();
        String before = subject();
        assertEquals(ReloadOutcome.Kind.UNCHANGED, watcher.reloadNow().kind(), "an unchanged token reads the same: "
                + first.summary());

        TestCertificate renewed = SoftHsmFixture.renewed(SoftHsmFixture.EC, "bot-ec-reloaded-" + System.nanoTime());
        token.deleteCertificate("bot-ec");
        ReloadOutcome midSwap = watcher.reloadNow();
        assertEquals(before, subject(), "the last good identity stays while the label is empty");
        assertTrue(log.toString().contains("no private key with a certificate under label 'bot-ec'"), log.toString());
        assertFalse(log.toString().contains(SoftHsmFixture.PIN), log.toString());

        token.writeCertificate("bot-ec", "02", renewed.certificate());
        ReloadOutcome outcome = watcher.reloadNow();
        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), midSwap.summary() + " / " + outcome.summary());
        assertEquals(renewed.subject(), subject());
        assertEquals(ReloadOutcome.Kind.UNCHANGED, watcher.reloadNow().kind());
    }

    private String subject() {
        return target.current().profile("bot").orElseThrow().identity().orElseThrow().leaf()
                .getSubjectX500Principal().getName();
    }
}
