package dev.mtls.reload;

import dev.mtls.material.Identity;
import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a reload would change for an operator: profiles added, changed (definition, hosts, key
 * material or trust, or problem) and removed, the same for listeners (definition, ports, server
 * identity, client CAs, problem), and whether the file's reload interval moved. Empty means the
 * snapshot in force already says the same: nothing is published, the generation stays.
 */
final class SnapshotChanges {
    private final NameChanges profiles;
    /** Apart from profiles, whose names listeners may share. */
    private final NameChanges listeners;
    private final Duration reload;
    private final boolean reloadChanged;

    private SnapshotChanges(NameChanges profiles, NameChanges listeners, Duration reload, boolean reloadChanged) {
        this.profiles = profiles;
        this.listeners = listeners;
        this.reload = reload;
        this.reloadChanged = reloadChanged;
    }

    /**
     * @param listeners the listeners to publish
     * @param reload the file's new reload setting, or null when it has none
     */
    static SnapshotChanges between(ProfileSnapshot before, List<LoadedProfile> after, List<LoadedListener> listeners,
            Duration reload) {
        NameChanges profileChanges = new NameChanges();
        for (LoadedProfile profile : after) {
            Optional<LoadedProfile> previous = before.profile(profile.name());
            profileChanges.now(profile.name(), previous.isPresent(),
                    previous.isPresent() && sameContent(previous.get(), profile));
        }
        for (LoadedProfile profile : before.profiles()) {
            profileChanges.before(profile.name());
        }
        NameChanges listenerChanges = new NameChanges();
        for (LoadedListener listener : listeners) {
            Optional<LoadedListener> previous = before.listener(listener.name());
            listenerChanges.now(listener.name(), previous.isPresent(),
                    previous.isPresent() && sameContent(previous.get(), listener));
        }
        for (LoadedListener listener : before.listeners()) {
            listenerChanges.before(listener.name());
        }
        boolean reloadChanged = !Objects.equals(before.reload().orElse(null), reload);
        return new SnapshotChanges(profileChanges, listenerChanges, reload, reloadChanged);
    }

    boolean isEmpty() {
        return profiles.isEmpty() && listeners.isEmpty() && !reloadChanged;
    }

    List<String> added() {
        return profiles.added();
    }

    List<String> changed() {
        return profiles.changed();
    }

    List<String> removed() {
        return profiles.removed();
    }

    /** Every profile name a cached session for its hosts may no longer agree with (no listener's). */
    Set<String> touched() {
        return profiles.touched();
    }

    /**
     * "added [a], changed [b], removed [c]", then "listeners added [d], changed [e], removed [f]" when
     * a listener changed, and the new interval when the file changed it.
     */
    String describe() {
        String text = profiles.describe();
        if (!listeners.isEmpty()) {
            text += "; listeners " + listeners.describe();
        }
        if (reloadChanged) {
            text += ", reload interval " + (reload == null ? "default" : reload.toString());
        }
        return text;
    }

    static boolean sameContent(LoadedProfile a, LoadedProfile b) {
        if (a == b) {
            return true;
        }
        return a.definition().equals(b.definition()) && a.hosts().equals(b.hosts())
                && Objects.equals(a.problem(), b.problem())
                && sameIdentity(a.identity().orElse(null), b.identity().orElse(null))
                && sameTrust(a.trust().orElse(null), b.trust().orElse(null));
    }

    static boolean sameContent(LoadedListener a, LoadedListener b) {
        if (a == b) {
            return true;
        }
        return a.definition().equals(b.definition()) && a.ports().equals(b.ports())
                && Objects.equals(a.problem(), b.problem())
                && sameIdentity(a.identity().orElse(null), b.identity().orElse(null))
                && sameTrust(a.trust().orElse(null), b.trust().orElse(null));
    }

    private static boolean sameIdentity(Identity a, Identity b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.chain().equals(b.chain()) && sameKey(a.privateKey(), b.privateKey());
    }

    /** By encoding: not every provider's key class defines equals by content. */
    private static boolean sameKey(PrivateKey a, PrivateKey b) {
        if (a.equals(b)) {
            return true;
        }
        byte[] encodedA = a.getEncoded();
        byte[] encodedB = b.getEncoded();
        try {
            return a.getAlgorithm().equals(b.getAlgorithm()) && Arrays.equals(encodedA, encodedB);
        } finally {
            // Key bytes should not linger on the heap longer than the comparison.
            clear(encodedA);
            clear(encodedB);
        }
    }

    private static void clear(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean sameTrust(TrustAnchors a, TrustAnchors b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.includeDefault() == b.includeDefault() && a.certificates().equals(b.certificates())
                && sameRevocationLists(a.revocationLists(), b.revocationLists());
    }

    /**
     * A replaced CRL is a change to publish: a new revocation (or an un-revocation) must reach new
     * connections, and the profile's cached sessions must not resume past it. X509CRL compares by
     * its encoding.
     */
    private static boolean sameRevocationLists(List<RevocationList> a, List<RevocationList> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).file().equals(b.get(i).file()) || !a.get(i).crl().equals(b.get(i).crl())) {
                return false;
            }
        }
        return true;
    }
}
