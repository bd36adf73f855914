package dev.mtls.profile;

import static dev.mtls.fuzzing.FuzzSecrets.assertNoSecretIn;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mtls.fuzzing.FuzzSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the YAML and the WSO2 XML profile parsers through
 * {@link ProfileFileReader}, which tells the formats apart by content; the corpus in
 * {@code ProfileFileFuzzTestInputs/readsOrRefusesWithoutEchoingSecrets} holds files of both.
 * References resolve to {@link FuzzSecrets}: {@code ${env:MTLS_FUZZ_PASSWORD}},
 * {@code ${sys:mtls.fuzz.password}} and {@code ${file:password.txt}}, a file next to the profile
 * file. Reading may only end in a {@link ProfileDocument} or a {@link ProfileFileException}; any
 * other exception, a hang past the timeout, or a secret value in an error message, a profile's
 * name, hosts or policy (revocation, server names, pins, tls), or a listener's name, ports, allow
 * entries, policy or reason is a finding. See docs/FUZZING.md.
 */
class ProfileFileFuzzTest {
    private static final Path FOLDER = folder();
    private static final Path FILE = FOLDER.resolve("profiles");
    private static final ProfileFileReader READER = reader();

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "5s")
    void readsOrRefusesWithoutEchoingSecrets(byte[] content) throws IOException {
        Files.write(FILE, content);
        ProfileDocument document;
        try {
            document = READER.read(FILE, FOLDER);
        } catch (ProfileFileException e) {
            assertNoSecretIn(e.getMessage(), "a file error");
            return;
        }
        for (ProfileError error : document.errors()) {
            assertNoSecretIn(error.toString(), "a profile error");
        }
        for (ProfileDefinition profile : document.profiles()) {
            // Names and hosts are printed by check and which; they are never resolved.
            assertNoSecretIn(profile.name() + " " + profile.hosts(), "a profile's name or hosts");
            // So is the policy (check's policy table): CRL paths, responder, server names, pins, suites.
            assertNoSecretIn(policy(profile.trust()) + " " + profile.tls(), "a profile's policy");
        }
        for (ListenerDefinition listener : document.listeners()) {
            // Names, ports and allow entries are printed by check, and reasons by every channel.
            assertNoSecretIn(listener.name() + " " + listener.ports() + " " + listener.allow() + " "
                    + listener.unreadable().orElse("") + " " + policy(listener.trust()),
                    "a listener's name, ports, allow entries, policy or reason");
        }
    }

    private static String policy(TrustSpec trust) {
        return trust == null ? "" : trust.revocation() + " " + trust.serverNames() + " " + trust.pins();
    }

    private static Path folder() {
        try {
            Path folder = Files.createTempDirectory("mtls-fuzz-profiles");
            Files.writeString(folder.resolve(FuzzSecrets.FILE_NAME), FuzzSecrets.FILE_VALUE + "\n");
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProfileFileReader reader() {
        Properties properties = new Properties();
        properties.setProperty(FuzzSecrets.SYS_NAME, FuzzSecrets.SYS_VALUE);
        return new ProfileFileReader(new SecretResolver(Map.of(FuzzSecrets.ENV_NAME, FuzzSecrets.ENV_VALUE),
                properties));
    }
}
