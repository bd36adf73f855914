package dev.mtls.reload;

import dev.mtls.material.Identity;
import dev.mtls.material.Pkcs11Tokens;
import dev.mtls.profile.ProfileError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The choice between the version just loaded and the one in force, the same for profiles
 * ({@link LastGoodMerge}) and listeners ({@link ListenerMerge}): loaded and usable, the new
 * version; loaded with a problem, the previous version if that one was usable, else the new one;
 * not loaded at all but named by an error, the previous version if there was one; gone with no
 * error naming it, removed. A subclass says how to read one kind of entry (plain subclasses, not
 * lambdas: the first load runs in the first TLS call).
 *
 * <p>A previous version whose identity is a key in a PKCS#11 token stands in for a failed load
 * only while that token still signs: its handle may outlive the token's session (a token gone, a
 * key deleted), and then keeping it would leave the entry looking usable while every handshake
 * fails. One test signature decides; the new, failed version is published otherwise. A file
 * identity costs nothing here.
 */
abstract class LastGoodVersions<T> {
    /** Per name, what a test signature of a token identity in force decided, as a sentence for the log. */
    private final Map<String, String> tokenChecks = new HashMap<>();

    abstract String name(T entry);

    abstract boolean isUsable(T entry);

    abstract Optional<Identity> identity(T entry);

    /** The version in force under that name. */
    abstract Optional<T> previous(String name);

    /** The name of the entry of this kind an error is about, or null when it is about something else. */
    abstract String owner(ProfileError error);

    /**
     * @param loaded the entries of the new snapshot, in file order
     * @param kept receives the names whose previous version was chosen
     * @return the chosen entries: the loaded ones in file order, then previous versions of those that did not load
     */
    final List<T> choose(List<T> loaded, List<ProfileError> errors, Set<String> kept) {
        List<T> chosen = new ArrayList<>();
        Set<String> fresh = new HashSet<>();
        for (T entry : loaded) {
            String name = name(entry);
            fresh.add(name);
            Optional<T> before = previous(name);
            if (!isUsable(entry) && before.isPresent() && isUsable(before.get()) && stillSigns(name, before.get())) {
                chosen.add(before.get());
                kept.add(name);
            } else {
                chosen.add(entry);
            }
        }
        for (ProfileError error : errors) {
            String name = owner(error);
            if (name != null && !fresh.contains(name) && !kept.contains(name)) {
                Optional<T> before = previous(name);
                if (before.isPresent()) {
                    chosen.add(before.get());
                    kept.add(name);
                }
            }
        }
        return chosen;
    }

    /** A file identity, or none: true. A token identity: whether one test signature with it succeeds. */
    private boolean stillSigns(String name, T before) {
        Optional<Identity> identity = identity(before);
        if (identity.isEmpty() || !Pkcs11Tokens.isTokenKey(identity.get().privateKey())) {
            return true;
        }
        String problem = Pkcs11Tokens.signingProblem(identity.get());
        tokenChecks.put(name, problem == null
                ? "its token identity in force still signs (one test signature), so its session works"
                : "its previous version is not kept: its token identity no longer signs: " + problem);
        return problem == null;
    }

    /**
     * What the test signature decided for this name, for the log: why the version in force was kept
     * or dropped; null when none was made.
     */
    final String tokenCheck(String name) {
        return tokenChecks.get(name);
    }
}
