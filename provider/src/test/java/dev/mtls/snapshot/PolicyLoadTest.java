package dev.mtls.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.SecretResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile's policy as the agent loads it (docs/POLICY.md): {@code trust.serverNames} DNS names
 * and addresses follow the host-pattern rules; a name that breaks them, or a policy field that
 * did not read, fails the profile's hosts closed, even in optional mode.
 */
class PolicyLoadTest {
    @TempDir
    Path dir;

    private final ProfileLoader loader = new ProfileLoader(
            new ProfileFileReader(new SecretResolver(Map.of(), new Properties())), new IdentityLoader(),
            new TrustLoader(), Clock.systemUTC(), Duration.ofDays(14));

    @Test
    void acceptsDnsNamesWildcardsAddressesAndUris() throws Exception {
        Path file = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: p\n    hosts: [a.example.com]\n    mode: optional\n"
                + "    trust:\n      serverNames: [a.example.com, \"*.example.com\", bücher.example, 10.0.0.7,"
                + " \"2001:db8::1\", \"[::1]\", \"spiffe://bank.example/payments\", \"urn:example:payments\"]\n");

        LoadResult result = loader.load(file, null, 1);

        assertThat(result.errors()).isEmpty();
        LoadedProfile profile = result.snapshot().profiles().get(0);
        assertThat(profile.trust()).hasValueSatisfying(trust -> assertThat(trust.isApplicationTrust()).isTrue());
        assertThat(ProfileUsability.handshakeFailure(profile, Instant.now())).isNull();
    }

    @Test
    void failsTheProfileClosedForANameTheHostRulesRefuse() throws Exception {
        Path file = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: p\n    hosts: [a.example.com]\n    mode: optional\n"
                + "    trust:\n      serverNames: [a.example.com, \"a..example.com\", 010.0.0.1]\n");

        LoadResult result = loader.load(file, null, 1);

        assertThat(result.errors()).extracting(ProfileError::toString).containsExactly(
                file + ":3: profile 'p': trust.serverNames: bad name 'a..example.com': it has an empty label (a"
                        + " leading dot or two dots in a row)",
                file + ":3: profile 'p': trust.serverNames: bad name '010.0.0.1': '010.0.0.1' is not a valid IPv4"
                        + " address: it needs four numbers 0-255 without leading zeros");
        LoadedProfile profile = result.snapshot().profiles().get(0);
        assertThat(profile.trust()).isEmpty();
        assertThat(ProfileUsability.handshakeFailure(profile, Instant.now()))
                .startsWith("mtls-agent: profile 'p' cannot check its servers as configured: ");
    }

    @Test
    void failsAnOptionalProfileWithABrokenTlsBlockClosedRatherThanConnectingWithoutIt() throws Exception {
        Path file = Files.writeString(dir.resolve("profiles.yaml"), "version: 1\nprofiles:\n"
                + "  - name: p\n    hosts: [a.example.com]\n    mode: optional\n"
                + "    trust:\n      serverNames: [a.example.com]\n    tls: {minVersion: TLSv1}\n");

        LoadResult result = loader.load(file, null, 1);

        LoadedProfile profile = result.snapshot().profiles().get(0);
        assertThat(profile.isUsable()).isFalse();
        assertThat(ProfileUsability.handshakeFailure(profile, Instant.now()))
                .startsWith("mtls-agent: profile 'p' cannot check its servers as configured: " + file + ":8: tls.minVersion must"
                        + " be TLSv1.2 or TLSv1.3, not 'TLSv1'");
    }
}
