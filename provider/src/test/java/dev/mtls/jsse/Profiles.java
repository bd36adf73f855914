package dev.mtls.jsse;

import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Mode;
import dev.mtls.profile.ProfileDefinition;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.profile.TlsSpec;
import dev.mtls.profile.TrustSpec;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import dev.mtls.testing.TestCertificate;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Builds loaded profiles and snapshots as the loader would, without files. */
public final class Profiles {
    private final String name;
    private final List<String> hosts;
    private Mode mode = Mode.MANDATORY;
    private IdentitySpec identitySpec;
    private Identity identity;
    private TrustSpec trustSpec;
    private TrustAnchors trust;
    private boolean verifyHostname;
    private String problem;
    private TlsSpec tls;

    private Profiles(String name, List<String> hosts) {
        this.name = name;
        this.hosts = hosts;
    }

    public static Profiles profile(String name, String... hosts) {
        return new Profiles(name, List.of(hosts));
    }

    public static ProfileSnapshot snapshot(long generation, LoadedProfile... profiles) {
        return new ProfileSnapshot(generation, Path.of("profiles.yaml"), Instant.now(), null, List.of(profiles));
    }

    public Profiles identity(TestCertificate certificate) {
        identitySpec = IdentitySpec.pem(Path.of(name + ".pem"), Path.of(name + ".key"), null);
        identity = TestCerts.identity(certificate);
        return this;
    }

    /** An identity was configured but could not be used. */
    public Profiles brokenIdentity(String why) {
        identitySpec = IdentitySpec.pem(Path.of(name + ".pem"), Path.of(name + ".key"), null);
        identity = null;
        problem = why;
        return this;
    }

    public Profiles trust(X509Certificate... cas) {
        trustSpec = TrustSpec.pem(Path.of(name + "-ca.pem"), false);
        trust = new TrustAnchors(List.of(cas), false);
        return this;
    }

    /** CRLs loaded with the trust set before (their revocation settings: {@link #checks(RevocationSpec, List, List)}). */
    public Profiles revocationLists(X509CRL... crls) {
        List<RevocationList> lists = new ArrayList<>();
        for (X509CRL crl : crls) {
            lists.add(new RevocationList(Path.of(name + "-" + lists.size() + ".crl"), crl));
        }
        trust = trust.withRevocationLists(lists);
        return this;
    }

    /** A trust section was configured but could not be loaded. */
    public Profiles brokenTrust(String why) {
        trustSpec = TrustSpec.pem(Path.of(name + "-ca.pem"), false);
        trust = null;
        problem = why;
        return this;
    }

    /** No CAs of its own: the application's trust decides the chain, then the policy checks. */
    public Profiles applicationTrust() {
        trustSpec = TrustSpec.applicationTrust();
        trust = TrustAnchors.applicationTrust();
        return this;
    }

    /** The trust block's server names and pins, on the trust set before. */
    public Profiles checks(List<String> serverNames, List<String> pins) {
        return checks(trustSpec.revocation(), serverNames, pins);
    }

    public Profiles checks(RevocationSpec revocation, List<String> serverNames, List<String> pins) {
        trustSpec = trustSpec.withChecks(revocation, serverNames, pins);
        return this;
    }

    public Profiles tls(String minVersion, String... cipherSuites) {
        tls = new TlsSpec(minVersion, List.of(cipherSuites));
        return this;
    }

    public Profiles optional() {
        mode = Mode.OPTIONAL;
        return this;
    }

    public Profiles verifyHostname() {
        verifyHostname = true;
        return this;
    }

    public LoadedProfile build() {
        ProfileDefinition definition = new ProfileDefinition(name, hosts, mode, identitySpec, trustSpec, tls,
                verifyHostname, 0);
        List<HostPattern> patterns = hosts.stream().map(HostPattern::parse).collect(Collectors.toList());
        return new LoadedProfile(definition, patterns, identity, trust, problem);
    }

    /** A source that always answers this one profile, as generation 1. */
    public ProfileSource source() {
        ProfileSnapshot snapshot = snapshot(1, build());
        return () -> snapshot;
    }
}
