package dev.mtls.sessions;

import dev.mtls.material.Identity;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fingerprints of every client certificate a profile has presented since start, so that a cached
 * session carrying one can be recognised after its profile was removed or moved to other hosts.
 * Bounded: past {@link #LIMIT} the oldest are forgotten (a JVM does not rotate a thousand
 * identities before its sessions time out).
 */
final class IdentityHistory {
    static final int LIMIT = 1024;

    private final Map<String, Boolean> fingerprints = new LinkedHashMap<String, Boolean>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > LIMIT;
        }
    };
    /**
     * Snapshots are immutable: one already remembered needs no second pass. Volatile, so that the
     * usual case (the snapshot in force, asked on a handshake thread) takes no lock.
     */
    private volatile ProfileSnapshot lastRemembered;

    void remember(ProfileSnapshot snapshot) {
        if (snapshot == null || snapshot == lastRemembered) {
            return;
        }
        rememberNew(snapshot);
    }

    private synchronized void rememberNew(ProfileSnapshot snapshot) {
        if (snapshot == lastRemembered) {
            return;
        }
        for (LoadedProfile profile : snapshot.profiles()) {
            Optional<Identity> identity = profile.identity();
            if (identity.isPresent()) {
                String fingerprint = fingerprint(identity.get().leaf());
                if (fingerprint != null) {
                    fingerprints.put(fingerprint, Boolean.TRUE);
                }
            }
        }
        lastRemembered = snapshot;
    }

    boolean contains(X509Certificate certificate) {
        String fingerprint = fingerprint(certificate);
        if (fingerprint == null) {
            return false;
        }
        synchronized (this) {
            return fingerprints.containsKey(fingerprint);
        }
    }

    synchronized int size() {
        return fingerprints.size();
    }

    private static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
