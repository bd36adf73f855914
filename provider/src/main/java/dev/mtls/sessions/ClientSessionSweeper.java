package dev.mtls.sessions;

import dev.mtls.material.Identity;
import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.Mode;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileUsability;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Invalidates cached client sessions that would resume with a certificate other than the one
 * the profiles now say to present. A resumed session skips the key manager, so without this a
 * rotated identity would keep going out until the session timed out.
 *
 * <p>Sweeping once right after a swap is not enough: a TLS 1.3 ticket that arrives just after
 * the sweep puts a resumable session with the old identity back in the cache, and every
 * resumption from it brings new tickets. So the watcher also sweeps on every tick, invalidating
 * any session whose local certificate is not the current identity of the profile matching its
 * host. Sessions for hosts no profile matches are left alone unless they carry a certificate a
 * profile once presented: the application's own certificate is never our business.
 *
 * <p>Even sweeping on every tick is not enough while an application keeps resuming (seen with
 * eight threads on one context): a TLS 1.3 client resumes a ticket, and the tickets the server
 * sends on that connection become new cached sessions, copies of the one resumed, with its
 * certificate. A connection that was resuming while the sweep ran puts such a copy in the cache
 * after it; the next connection resumes the copy, and so on, tick after tick. So the agent also
 * asks {@link #mayResume} each time the JDK takes a session out of its cache to resume it, and
 * the per-tick sweep is what remains where it cannot (the provider alone, other JSSE providers).
 */
public final class ClientSessionSweeper {
    private final Supplier<List<SSLContext>> contexts;
    private final Supplier<List<SSLSessionContext>> engineCaches;
    private final Clock clock;
    private final IdentityHistory history = new IdentityHistory();
    /**
     * Per profile, the wall-clock time (as {@link SSLSession#getCreationTime()} counts it) of the
     * last swap that added or changed it. A session created before then was made under an older
     * version of the profile. TLS 1.3 ticket sessions keep the creation time of the full handshake
     * they descend from, so this holds for every copy. Replaced whole: handshake threads read it.
     */
    private volatile Map<String, Long> changedAt = Map.of();

    /** Sweeps {@link WrappedContexts#live()} and the caches {@link EngineSessionCaches} met. */
    public ClientSessionSweeper() {
        this(new Registered(), new EngineCaches(), Clock.systemUTC());
    }

    ClientSessionSweeper(Supplier<List<SSLContext>> contexts, Clock clock) {
        this(contexts, new EngineCaches(), clock);
    }

    ClientSessionSweeper(Supplier<List<SSLContext>> contexts, Supplier<List<SSLSessionContext>> engineCaches,
            Clock clock) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.engineCaches = Objects.requireNonNull(engineCaches, "engineCaches");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The per-tick sweep: sessions whose local certificate is not what the profile now matching
     * their host would present. Never throws.
     *
     * @return how many sessions were invalidated
     */
    public int sweep(ProfileSnapshot current) {
        return sweep(current, null, Set.of());
    }

    /**
     * The sweep right after a swap: as {@link #sweep}, and also every session for a host whose
     * profile was added, changed or removed (its trust, host-name rules or upstream policy may
     * have changed: server names, pins, revocation, the {@code tls} block; a resumed session skips
     * the trust manager and with it all of those).
     *
     * @param touched names of the profiles added, changed or removed by the swap
     */
    public int sweepAfterSwap(ProfileSnapshot before, ProfileSnapshot after, Set<String> touched) {
        history.remember(before);
        noteChanged(after, touched);
        return sweep(after, before, touched);
    }

    /**
     * Whether a cached client session may be resumed now; if not, it is invalidated. The agent
     * calls this from the JDK's client session cache each time a handshake is about to resume a
     * session, so it must be cheap and never throw (it answers true when in doubt).
     *
     * <p>It refuses a session whose host's profile was added or changed after the session was
     * created, and one that carries a certificate a profile presented but that is not the one the
     * profiles would present now. Unlike the sweep it leaves a session alone that merely lacks
     * the profile's certificate: in a context the agent did not wrap (initialised before a late
     * attach) a full handshake would make the same session again, on every connection.
     */
    public boolean mayResume(SSLSession session, ProfileSnapshot current) {
        try {
            if (session == null || current == null) {
                return true;
            }
            history.remember(current);
            LoadedProfile profile = profileFor(current, Peer.of(session));
            if (!changedSince(profile, session, clock.instant())) {
                X509Certificate sent = localLeaf(session);
                if (sent == null) {
                    return true;
                }
                X509Certificate expected = profile == null || profile.definition().keepsApplicationIdentity() ? null
                        : presentable(profile, clock.instant());
                if (sent.equals(expected) || !history.contains(sent)) {
                    return true;
                }
            }
            session.invalidate();
            return false;
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    private void noteChanged(ProfileSnapshot after, Set<String> touched) {
        long now = System.currentTimeMillis();
        Map<String, Long> before = changedAt;
        Map<String, Long> next = new HashMap<>();
        for (LoadedProfile profile : after.profiles()) {
            Long at = touched.contains(profile.name()) ? Long.valueOf(now) : before.get(profile.name());
            if (at != null) {
                next.put(profile.name(), at);
            }
        }
        changedAt = next;
    }

    /**
     * Created no later than the profile's last change (the same millisecond counts, at the cost of
     * one full handshake), or before one of its CRLs went past its nextUpdate: that session's
     * revocation check read a list that no longer counts, and a resumed session skips the check
     * (with {@code onUnknown: fail} a full handshake now fails, so a resumed one must not pass).
     */
    private boolean changedSince(LoadedProfile profile, SSLSession session, Instant now) {
        if (profile == null) {
            return false;
        }
        Long at = changedAt.get(profile.name());
        if (at != null && session.getCreationTime() <= at) {
            return true;
        }
        Instant outdated = revocationListsOutdatedAt(profile, now);
        return outdated != null && session.getCreationTime() <= outdated.toEpochMilli();
    }

    /** The latest nextUpdate among the profile's CRLs that is already past, or null while all are current. */
    private static Instant revocationListsOutdatedAt(LoadedProfile profile, Instant now) {
        TrustAnchors anchors = profile.trust().orElse(null);
        if (anchors == null || anchors.revocationLists().isEmpty()) {
            return null;
        }
        Instant latest = null;
        for (RevocationList list : anchors.revocationLists()) {
            Date nextUpdate = list.crl().getNextUpdate();
            if (nextUpdate != null && !nextUpdate.toInstant().isAfter(now)
                    && (latest == null || nextUpdate.toInstant().isAfter(latest))) {
                latest = nextUpdate.toInstant();
            }
        }
        return latest;
    }

    private int sweep(ProfileSnapshot current, ProfileSnapshot before, Set<String> touched) {
        history.remember(current);
        Instant now = clock.instant();
        int invalidated = 0;
        Set<SSLSessionContext> swept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (SSLContext context : contexts.get()) {
            try {
                SSLSessionContext sessions = context.getClientSessionContext();
                swept.add(sessions);
                invalidated += sweep(sessions, current, before, touched, now);
            } catch (RuntimeException | LinkageError e) {
                // Not initialised, or a provider whose session context misbehaves: nothing to sweep there.
            }
        }
        for (SSLSessionContext sessions : engineCaches.get()) {
            // A JDK engine's cache is its context's, swept above already.
            if (swept.add(sessions)) {
                try {
                    invalidated += sweep(sessions, current, before, touched, now);
                } catch (RuntimeException | LinkageError e) {
                    // A cache whose context was released or misbehaves: nothing to sweep there.
                }
            }
        }
        return invalidated;
    }

    private int sweep(SSLSessionContext sessions, ProfileSnapshot current, ProfileSnapshot before,
            Set<String> touched, Instant now) {
        if (sessions == null) {
            return 0;
        }
        int invalidated = 0;
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements();) {
            SSLSession session = sessions.getSession(ids.nextElement());
            if (session != null && isStale(session, current, before, touched, now)) {
                session.invalidate();
                invalidated++;
            }
        }
        return invalidated;
    }

    private boolean isStale(SSLSession session, ProfileSnapshot current, ProfileSnapshot before,
            Set<String> touched, Instant now) {
        Peer peer = Peer.of(session);
        LoadedProfile profile = profileFor(current, peer);
        if (!touched.isEmpty()) {
            LoadedProfile previous = profileFor(before, peer);
            if (profile != null && touched.contains(profile.name())
                    || previous != null && touched.contains(previous.name())) {
                return true;
            }
        }
        if (changedSince(profile, session, now)) {
            return true;
        }
        X509Certificate sent = localLeaf(session);
        if (profile == null || profile.definition().keepsApplicationIdentity()) {
            // The application's own key manager chooses here; only a certificate of ours is out of place.
            return sent != null && history.contains(sent);
        }
        X509Certificate expected = presentable(profile, now);
        if (expected != null) {
            return !expected.equals(sent);
        }
        // No usable identity: mandatory handshakes must fail afresh, optional ones go without a certificate.
        return profile.mode() == Mode.MANDATORY || sent != null;
    }

    /** The profile the handshake that made the session was routed to, as {@code dev.mtls.jsse.ProfileRoute.find} routes it. */
    private static LoadedProfile profileFor(ProfileSnapshot snapshot, Peer peer) {
        Peer.Match match = snapshot == null || peer == null ? null : peer.matchIn(snapshot);
        return match == null ? null : match.profile();
    }

    /** The leaf the routing key manager would present now, as it decides it; null for none. */
    private static X509Certificate presentable(LoadedProfile profile, Instant now) {
        Identity identity = ProfileUsability.usableIdentity(profile, now);
        return identity == null ? null : identity.leaf();
    }

    private static X509Certificate localLeaf(SSLSession session) {
        return EngineSessionCaches.presentedIn(session);
    }

    /** A class, not a method reference: the agent builds the sweeper in premain, where lambdas cost bootstrap time. */
    private static final class Registered implements Supplier<List<SSLContext>> {
        @Override
        public List<SSLContext> get() {
            return WrappedContexts.live();
        }
    }

    private static final class EngineCaches implements Supplier<List<SSLSessionContext>> {
        @Override
        public List<SSLSessionContext> get() {
            return EngineSessionCaches.live();
        }
    }
}
