package dev.mtls.reload;

import dev.mtls.material.Identity;
import dev.mtls.profile.Mode;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Warns about certificates in use that are close to expiry, and reports those that have expired:
 * profiles' client certificates and listeners' server certificates, once per certificate and
 * state, not on every tick. Checked on every tick, not only on reloads, because a certificate
 * expires while its files stay the same.
 */
final class ExpiryWatch {
    private final Duration warning;
    private final Set<String> reported = new HashSet<>();

    ExpiryWatch(Duration warning) {
        this.warning = warning;
    }

    void check(ProfileSnapshot snapshot, Instant now, ReloadLog log) {
        Set<String> inUse = new HashSet<>();
        for (LoadedProfile profile : snapshot.profiles()) {
            // Unusable: its load error, already logged, says why (an expired certificate among others).
            if (profile.isUsable()) {
                check(snapshot, "profile '" + profile.name() + "'", profile.identity(),
                        profile.mode() == Mode.MANDATORY ? "handshakes to its hosts fail until it is replaced"
                                : "its hosts are connected to without a client certificate (mode optional)",
                        now, log, inUse);
            }
        }
        for (LoadedListener listener : snapshot.listeners()) {
            if (listener.isUsable()) {
                check(snapshot, "listener '" + listener.name() + "'", listener.identity(),
                        "clients refuse it until it is replaced", now, log, inUse);
            }
        }
        // Forget certificates no longer in use, so the set stays as small as the snapshot.
        reported.retainAll(inUse);
    }

    /** @param owner "profile 'name'" or "listener 'name'" */
    private void check(ProfileSnapshot snapshot, String owner, Optional<Identity> identity, String whenExpired,
            Instant now, ReloadLog log, Set<String> inUse) {
        if (identity.isEmpty()) {
            return;
        }
        X509Certificate leaf = identity.get().leaf();
        Instant notAfter = leaf.getNotAfter().toInstant();
        // Issuer and serial name a certificate uniquely, without hashing it every tick.
        String certificate = leaf.getIssuerX500Principal().getName() + "#" + leaf.getSerialNumber();
        if (now.isAfter(notAfter)) {
            String key = "expired " + certificate;
            inUse.add(key);
            if (reported.add(key)) {
                log.log(Level.ERROR, snapshot.file() + ": " + owner + ": certificate " + leaf.getSubjectX500Principal()
                        + " expired on " + notAfter + "; " + whenExpired);
            }
        } else if (Duration.between(now, notAfter).compareTo(warning) < 0) {
            // Not now.plus(warning): a warning too long for an Instant would throw here.
            String key = "expiring " + certificate;
            inUse.add(key);
            if (reported.add(key)) {
                long days = ChronoUnit.DAYS.between(now, notAfter);
                log.log(Level.WARNING, snapshot.file() + ": " + owner + ": certificate "
                        + leaf.getSubjectX500Principal() + " expires on " + notAfter + " (in " + days
                        + (days == 1 ? " day" : " days") + "); replace it before then");
            }
        }
    }
}
