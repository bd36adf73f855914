package dev.mtls.reload;

import dev.mtls.jsse.HandshakeCounts;
import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.material.Names;
import dev.mtls.material.Validity;
import dev.mtls.snapshot.LoadedProfile;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One profile as JMX shows it (an MXBean maps it to CompositeData): name, hosts, mode, the
 * subject and expiry of its certificate, whether it can be used, and how many handshakes presented
 * it. Subject and expiry are public parts of the certificate, worded as check and the log word them
 * ({@link Names}, {@link Validity}); the key and passwords are never part of this.
 */
public final class ProfileInfo {
    private final String name;
    private final List<String> hosts;
    private final String mode;
    private final String subject;
    private final String notAfter;
    private final String validity;
    private final boolean usable;
    private final String problem;
    private final long handshakes;

    ProfileInfo(String name, List<String> hosts, String mode, String subject, String notAfter, String validity,
            boolean usable, String problem, long handshakes) {
        this.name = name;
        this.hosts = List.copyOf(hosts);
        this.mode = mode;
        this.subject = subject;
        this.notAfter = notAfter;
        this.validity = validity;
        this.usable = usable;
        this.problem = problem;
        this.handshakes = handshakes;
    }

    /** @param expiryWarning how close to its not-after a certificate counts as expiring */
    static ProfileInfo of(LoadedProfile profile, Instant now, Duration expiryWarning) {
        Optional<X509Certificate> leaf = profile.identity().map(Identity::leaf);
        return new ProfileInfo(profile.name(),
                profile.hosts().stream().map(HostPattern::toString).collect(Collectors.toList()),
                profile.mode().toString(),
                leaf.map(Names::subject).orElse(""),
                leaf.map(certificate -> certificate.getNotAfter().toInstant().toString()).orElse(""),
                leaf.map(certificate -> Validity.of(certificate, now, expiryWarning).text()).orElse(""),
                profile.isUsable(), profile.problem().orElse(""), HandshakeCounts.of(profile.name()));
    }

    public String getName() {
        return name;
    }

    public List<String> getHosts() {
        return hosts;
    }

    /** "mandatory" or "optional". */
    public String getMode() {
        return mode;
    }

    /** The client certificate's subject, or empty for a trust-only profile or one whose identity failed. */
    public String getSubject() {
        return subject;
    }

    /** The client certificate's not-after (ISO-8601), or empty. */
    public String getNotAfter() {
        return notAfter;
    }

    /**
     * Where the client certificate stands, in the words check and the log use: "valid until T",
     * "expires on T (in N days)", "expired on T" or "not valid before T"; empty without one.
     */
    public String getValidity() {
        return validity;
    }

    public boolean isUsable() {
        return usable;
    }

    /** Why the profile cannot be used, or empty. */
    public String getProblem() {
        return problem;
    }

    /**
     * Full handshakes that presented this profile's certificate since the agent started, across
     * reloads (resumed sessions present nothing anew and are not counted).
     */
    public long getHandshakes() {
        return handshakes;
    }
}
