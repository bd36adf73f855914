package dev.mtls.reload;

import dev.mtls.sessions.ClientSessionSweeper;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * What each tick does whatever the files did: certificates expire while their files stay the
 * same, and a TLS 1.3 ticket that arrived after the last sweep can put a session with an old
 * certificate back in a cache (see {@link ClientSessionSweeper}).
 */
final class EveryTick {
    private final ExpiryWatch expiry;
    private final ClientSessionSweeper sweeper;
    private final ReloadLog log;
    private String lastFailure;

    EveryTick(Duration expiryWarning, ClientSessionSweeper sweeper, ReloadLog log) {
        this.expiry = new ExpiryWatch(expiryWarning);
        this.sweeper = sweeper;
        this.log = log;
    }

    /** Never throws: a failure is logged once, until a tick succeeds again. */
    void run(ProfileSnapshot current, Instant now) {
        try {
            expiry.check(current, now, log);
            int swept = sweeper.sweep(current);
            if (swept > 0) {
                log.log(Level.DEBUG, "invalidated " + swept + " cached TLS session(s) that would resume with a"
                        + " certificate the profiles no longer present");
            }
            lastFailure = null;
        } catch (RuntimeException | LinkageError e) {
            String failure = e.toString();
            if (!failure.equals(lastFailure)) {
                log.log(Level.WARNING, "expiry check or session sweep failed: " + failure);
            }
            lastFailure = failure;
        }
    }

    /** Right after a swap, for the sessions of every host whose profile was touched. */
    void swapped(ProfileSnapshot before, ProfileSnapshot after, SnapshotChanges changes) {
        try {
            sweeper.sweepAfterSwap(before, after, changes.touched());
        } catch (RuntimeException | LinkageError e) {
            log.log(Level.WARNING, "session sweep after reload failed: " + e);
        }
    }
}
