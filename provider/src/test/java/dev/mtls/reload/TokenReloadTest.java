package dev.mtls.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.material.SoftHsmFixture;
import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the next check does when the token, not a file, changes: a certificate imported under the
 * label is published; a label found empty mid-swap keeps the last good identity while its session
 * still signs; a key gone from the token fails the profile closed; an unchanged token is not
 * reloaded on every tick.
 */
class TokenReloadTest extends WatchedFolderTest {
    SoftHsmToken token;

    @BeforeAll
    static void tokens() {
        assumeTrue(SoftHsmToken.available(), "SoftHSM2 and OpenSC (pkcs11-tool) are not installed");
    }

    @BeforeEach
    void tokenProfiles() {
        token = SoftHsmFixture.get().reloading;
        files.write(tokenProfile("bot", "api.example.com", "bot-ec"), tokenProfile("gone", "gone.example.com",
                "bot-gone"));
    }

    private String tokenProfile(String name, String host, String key) {
        return "  - name: " + name + "\n    hosts: [" + host + "]\n    identity:\n      pkcs11: {library: "
                + SoftHsmToken.library() + ", token: " + token.label() + ", pin: " + SoftHsmFixture.PIN + ", key: "
                + key + "}\n";
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
        assertTrue(target.current().profile("bot").orElseThrow().isUsable());
        assertTrue(log.toString().contains("no private key with a certificate under label 'bot-ec'"), log.toString());
        assertEquals(1, log.count("keeping its previous version until the error is fixed; its token identity in"
                + " force still signs (one test signature), so its session works"), log.toString());
        watcher.reloadNow();
        assertEquals(1, log.count("its token identity in force still signs"), "said once, not on every tick: " + log);
        assertFalse(log.toString().contains(SoftHsmFixture.PIN), log.toString());

        token.writeCertificate("bot-ec", "02", renewed.certificate());
        ReloadOutcome outcome = watcher.reloadNow();
        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), midSwap.summary() + " / " + outcome.summary());
        assertEquals(renewed.subject(), subject());
        assertEquals(ReloadOutcome.Kind.UNCHANGED, watcher.reloadNow().kind());
    }

    @Test
    void aKeyGoneFromTheTokenFailsTheProfileClosedWithTheReasonAtTheNextCheck() {
        watcher.reloadNow();
        assertTrue(target.current().profile("gone").orElseThrow().isUsable());

        token.deleteKey("bot-gone");
        ReloadOutcome outcome = watcher.reloadNow();
        assertEquals(ReloadOutcome.Kind.RELOADED, outcome.kind(), outcome.summary());
        String problem = target.current().profile("gone").orElseThrow().problem().orElseThrow(
                () -> new AssertionError("the profile still looks usable: " + log));
        assertTrue(problem.startsWith("pkcs11 token '" + token.label() + "' key 'bot-gone' (library "
                + SoftHsmToken.library() + "): no private key with a certificate under label 'bot-gone'"), problem);
        assertTrue(log.toString().contains("its previous version is not kept: its token identity no longer signs:"
                + " pkcs11 token '" + token.label() + "' key 'bot-gone'"), log.toString());
        assertTrue(target.current().profile("bot").orElseThrow().isUsable(), "the other profile is untouched");
        assertFalse(log.toString().contains(SoftHsmFixture.PIN), log.toString());
    }

    @Test
    void aListenerKeyGoneFromTheTokenFailsTheListenerClosedAtTheNextCheck() {
        files.writeText("version: 1\nlisteners:\n  - name: api\n    ports: [8443]\n    identity:\n      pkcs11: {library: "
                + SoftHsmToken.library() + ", token: " + token.label() + ", pin: " + SoftHsmFixture.PIN
                + ", key: server-gone}\n");
        watcher.reloadNow();
        assertTrue(target.current().listener("api").orElseThrow().isUsable(), log.toString());

        token.deleteKey("server-gone");
        watcher.reloadNow();
        String problem = target.current().listener("api").orElseThrow().problem().orElseThrow(
                () -> new AssertionError("the listener still looks usable: " + log));
        assertTrue(problem.contains("pkcs11 token '" + token.label() + "' key 'server-gone' (library "
                + SoftHsmToken.library() + "): no private key with a certificate under label 'server-gone'"), problem);
        assertTrue(log.toString().contains("its previous version is not kept: its token identity no longer signs"),
                log.toString());
    }

    private String subject() {
        return target.current().profile("bot").orElseThrow().identity().orElseThrow().leaf()
                .getSubjectX500Principal().getName();
    }
}
