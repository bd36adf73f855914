package dev.mtls.reload;

import dev.mtls.profile.Pkcs11Key;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the reload's change detection compare a PKCS#11 token's objects the way it compares files:
 * each token key an identity names is watched under a stand-in path, which {@link Fingerprinter}
 * recognises and "reads" by asking the token what it holds under the label (a digest of the
 * certificates, or why it cannot be read). Every part of the reload that works on watched paths
 * (before/after agreement, reuse of unchanged material, a stuck read) then works for tokens as is.
 *
 * <p>The stand-in is a relative path no profile can name by accident, made of hashes of the
 * library, the token and the label (never of the PIN: a PIN written in the profile file, or in a
 * {@code ${file:}} secret, changes a watched file already).
 */
final class TokenSources {
    private static final Map<Path, Pkcs11Key> TOKENS = new ConcurrentHashMap<>();

    private TokenSources() {
    }

    /** The stand-in path for a token key, remembered for {@link #token}. */
    static Path watch(Pkcs11Key key) {
        String token = key.token() != null ? "token-" + Integer.toHexString(key.token().hashCode())
                : "slot-" + key.slot();
        Path path = Path.of(".mtls-agent-pkcs11", token + "-key-" + Integer.toHexString(key.label().hashCode())
                + "-library-" + Integer.toHexString(key.library().hashCode()));
        TOKENS.put(path, key);
        return path;
    }

    /** The token key a stand-in path stands for, or null for a real file. */
    static Pkcs11Key token(Path path) {
        return TOKENS.isEmpty() ? null : TOKENS.get(path);
    }
}
