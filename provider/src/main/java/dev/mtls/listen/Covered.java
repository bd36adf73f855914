package dev.mtls.listen;

import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;

/**
 * One server handshake put under a listener: the listener, the snapshot it was read from (so that
 * the certificate, the key and the trust of one handshake all come from one generation) and the
 * client as the logs name it.
 */
public final class Covered {
    private final LoadedListener listener;
    private final ProfileSnapshot snapshot;
    private final String client;

    Covered(LoadedListener listener, ProfileSnapshot snapshot, String client) {
        this.listener = listener;
        this.snapshot = snapshot;
        this.client = client;
    }

    public LoadedListener listener() {
        return listener;
    }

    public ProfileSnapshot snapshot() {
        return snapshot;
    }

    /** The client's address as text, for log lines; never resolved. */
    public String client() {
        return client;
    }
}
