package dev.mtls.reload;

import static dev.mtls.reload.ProfileFiles.CA;
import static dev.mtls.reload.ProfileFiles.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Quiet by default: one line per effective reload, one per problem, one per expiring certificate. */
class ReloadLoggingTest extends WatchedFolderTest {
    @Override
    WatchSettings settings() {
        return super.settings().expiryWarning(Duration.ofDays(14));
    }

    @Test
    void certificateCloseToExpiryIsWarnedAboutOnceNotEveryTick() {
        Instant now = Instant.now();
        TestCertificate expiring = CA.issue("expiring").clientAuth()
                .validity(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(3))).create();
        files.identity("payments", expiring).write(profile("payments", "payments.internal"));

        for (int tick = 0; tick < 4; tick++) {
            watcher.reloadNow();
        }

        assertEquals(1, log.count("WARNING " + files.profiles + ": profile 'payments': certificate CN=expiring"
                + " expires on "), log.toString());
        assertEquals(1, log.count("replace it before then"));
    }

    @Test
    void expiredCertificateIsAnErrorOnceAndItsProfileFailsClosed() {
        TestCertificate expired = CA.issue("expired").clientAuth().expired().create();
        files.identity("payments", expired).write(profile("payments", "payments.internal"));

        for (int tick = 0; tick < 4; tick++) {
            watcher.reloadNow();
        }

        assertEquals(1, log.lines().stream().filter(line -> line.startsWith("ERROR") && line.contains("expired on"))
                .count(), log.toString());
        assertFalse(target.current().profile("payments").orElseThrow().isUsable());
    }

    @Test
    void theFirstLoadLogsNothingUntilItHasPublishedThenItsProblemsAndTheStartLineOnce() throws Exception {
        files.identity("payments", ProfileFiles.client("payments"))
                .write(profile("payments", "payments.internal"), profile("broken", "broken.internal"));
        ProfileService service = ProfileService.create(WatchSettings.of(files.profiles).reloadOption(Duration.ZERO)
                .target(target).log(log), " (note)");

        service.load();
        assertEquals(0, log.visible().size(), log.toString());
        assertTrue(target.current().profile("payments").isPresent());
        assertEquals(1, service.problems().size(), service.problems().toString());
        assertTrue(service.problems().get(0).contains("'broken'"), service.problems().toString());

        service.report();
        service.watcher().reloadNow();
        service.watcher().reloadNow();

        assertEquals(1, log.count("profile 'broken'"), log.toString());
        assertEquals(1, log.count(" from " + files.profiles + " (note)"), log.toString());
        assertEquals(0, log.count("reloaded"), log.toString());
        assertEquals(1, service.watcher().generation());
        service.close();
    }

    @Test
    void neitherKeysNorPasswordsReachTheLog() throws Exception {
        TestCertificate identity = ProfileFiles.client("secretive");
        identity.writeChain(dir.resolve("client.pem"));
        identity.writeEncryptedPkcs8Key(dir.resolve("client.key"), "s3cret-Passw0rd");
        files.writeText("version: 1\nprofiles:\n  - name: p\n    hosts: [p.internal]\n"
                + "    identity: {certificate: client.pem, key: client.key, keyPassword: wrong-Passw0rd}\n");
        watcher.reloadNow();
        files.writeText("version: 1\nprofiles:\n  - name: p\n    hosts: [p.internal]\n"
                + "    identity: {certificate: client.pem, key: client.key, keyPassword: s3cret-Passw0rd}\n");
        watcher.reloadNow();

        String everything = log.toString();
        assertFalse(everything.contains("Passw0rd"), everything);
        assertFalse(everything.contains("PRIVATE KEY"), everything);
        assertTrue(target.current().profile("p").orElseThrow().isUsable());
    }
}
