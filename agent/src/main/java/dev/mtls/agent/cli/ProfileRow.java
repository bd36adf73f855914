package dev.mtls.agent.cli;

import dev.mtls.match.HostPattern;
import dev.mtls.material.Identity;
import dev.mtls.material.Names;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.IdentitySpec;
import dev.mtls.profile.Pkcs11Key;
import dev.mtls.snapshot.LoadedProfile;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.ZoneOffset;
import java.util.stream.Collectors;

/** The cells of one profile's row in {@code check}'s table. */
final class ProfileRow {
    private static final String NONE = "-";

    private ProfileRow() {
    }

    static String[] of(LoadedProfile profile) {
        String hosts = profile.hosts().stream().map(HostPattern::toString).collect(Collectors.joining(","));
        String status = profile.isUsable() ? "ok" : "ERROR";
        String ownIdentity = profile.definition().keepsApplicationIdentity() ? "(trust only)" : NONE;
        String[] identity = profile.identity().map(ProfileRow::identityCells)
                .orElse(new String[] {ownIdentity, NONE, NONE, NONE});
        if (profile.identity().isPresent()) {
            identity[2] = identity[2] + tokenOf(profile.definition().identity());
        }
        return new String[] {profile.name(), status, profile.mode().toString(), hosts, identity[0], identity[1],
            identity[2], identity[3], trustCell(profile)};
    }

    private static String[] identityCells(Identity identity) {
        X509Certificate leaf = identity.leaf();
        return new String[] {Names.subject(leaf), Names.issuer(leaf),
            keyDescription(leaf.getPublicKey()),
            leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString()};
    }

    /** " in pkcs11 token 'mtls' key 'bot-client'" for a key in a token, else nothing. */
    static String tokenOf(IdentitySpec spec) {
        if (spec == null || !spec.isPkcs11()) {
            return "";
        }
        Pkcs11Key key = spec.pkcs11();
        return " in pkcs11 " + key.describeToken() + " key '" + key.label() + "'";
    }

    private static String trustCell(LoadedProfile profile) {
        if (!profile.definition().declaresTrust()) {
            return "application's";
        }
        return profile.trust().map(ProfileRow::anchors).orElse(NONE);
    }

    private static String anchors(TrustAnchors trust) {
        if (trust.isApplicationTrust()) {
            // The chain is the application's to decide; the profile's checks follow (the policy table).
            return "application's + policy";
        }
        String names = trust.certificates().stream().map(Names::subject)
                .collect(Collectors.joining("; "));
        return names + (trust.includeDefault() ? " + JVM defaults" : "");
    }

    /** "RSA 2048", "EC P-256", "Ed25519": what an operator compares with the backend's requirements. */
    static String keyDescription(PublicKey key) {
        if (key instanceof RSAKey) {
            return key.getAlgorithm() + " " + ((RSAKey) key).getModulus().bitLength();
        }
        if (key instanceof ECKey) {
            int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
            return bits == 256 || bits == 384 || bits == 521 ? "EC P-" + bits : "EC " + bits;
        }
        return key.getAlgorithm();
    }
}
