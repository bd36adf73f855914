package dev.mtls.jsse;

import dev.mtls.listen.Covered;
import dev.mtls.listen.ServerHandshakes;
import dev.mtls.material.Identity;
import dev.mtls.sessions.EngineSessionCaches;
import dev.mtls.sessions.Peer;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Presents a profile's identity to the hosts the profile matches, and a listener's identity as
 * the server certificate of the server handshakes the listener covers; leaves every other
 * handshake to the application's own key manager (or to none), unchanged.
 *
 * <p>Aliases it chooses read {@code mtls:<generation>:<profile>}, so the chain and key are read
 * from the very snapshot that chose them. The choose methods never throw:
 * {@code java.net.http.HttpClient} on JDK 17 hangs on TLS 1.3 when a key manager does; a
 * mandatory profile that cannot be honoured is failed by the trust manager instead.
 */
public final class RoutingKeyManager extends X509ExtendedKeyManager {
    private static final String PREFIX = "mtls:";
    /** A server certificate from a listener's identity (docs/LISTENERS.md). */
    private static final String LISTENER_PREFIX = "mtls-listener:";
    /** Compared by identity: "not ours, ask the delegate" (null already means "no certificate"). */
    private static final String DELEGATE = new String("delegate");

    private final X509KeyManager delegate;
    private final ProfileSource source;
    private final RecentSnapshots recent = new RecentSnapshots();

    /** @param delegate the application's key manager, or null when it gave none */
    public RoutingKeyManager(X509KeyManager delegate, ProfileSource source) {
        this.delegate = delegate;
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The application's key manager, or null. */
    public X509KeyManager delegate() {
        return delegate;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        String alias = route(keyTypes, Peer.of(socket), null);
        if (alias != DELEGATE) {
            return alias;
        }
        return delegate == null ? null : delegate.chooseClientAlias(keyTypes, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        String alias = route(keyTypes, Peer.of(engine), engine);
        if (alias != DELEGATE) {
            return alias;
        }
        // A plain X509KeyManager has no engine method; the JDK's own wrapper answers null too.
        return delegate instanceof X509ExtendedKeyManager
                ? ((X509ExtendedKeyManager) delegate).chooseEngineClientAlias(keyTypes, issuers, engine)
                : null;
    }

    /**
     * Our alias, null for "no certificate", or {@link #DELEGATE}.
     *
     * @param engine the engine of an engine handshake, else null
     */
    private String route(String[] keyTypes, Peer peer, SSLEngine engine) {
        ProfileRoute route = ProfileRoute.find(source, peer);
        if (route == null || route.keepsApplicationIdentity()) {
            return DELEGATE;
        }
        try {
            Identity identity = route.usableIdentity();
            if (identity == null) {
                route.warnOptionalWithoutIdentity();
                return null;
            }
            if (!KeyTypes.fits(identity, keyTypes)) {
                return null;
            }
            ProfileSnapshot snapshot = route.snapshot();
            recent.remember(snapshot);
            // JSSE asks until an alias comes back: one non-null answer per handshake.
            HandshakeCounts.presented(route.profile().name());
            if (engine != null) {
                // Its session may live in a cache no SSLContext of ours holds (Netty's OpenSSL engine).
                EngineSessionCaches.presented(engine, identity.leaf());
            }
            return PREFIX + snapshot.generation() + ':' + route.profile().name();
        } catch (RuntimeException | LinkageError e) {
            // Never throw from here (see the class comment); without a certificate the server decides.
            return null;
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity identity = identity(alias);
        if (identity != null) {
            return identity.chain().toArray(new X509Certificate[0]);
        }
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity identity = identity(alias);
        if (identity != null) {
            return identity.privateKey();
        }
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }

    /** The identity one of our aliases names, or null when the alias is not ours (or forgotten). */
    private Identity identity(String alias) {
        if (alias == null) {
            return null;
        }
        boolean listener = alias.startsWith(LISTENER_PREFIX);
        String prefix = listener ? LISTENER_PREFIX : PREFIX;
        if (!alias.startsWith(prefix)) {
            return null;
        }
        int colon = alias.indexOf(':', prefix.length());
        if (colon < 0) {
            return null;
        }
        long generation;
        try {
            generation = Long.parseLong(alias.substring(prefix.length(), colon));
        } catch (NumberFormatException e) {
            return null;
        }
        ProfileSnapshot snapshot = recent.get(generation);
        if (snapshot == null) {
            return null;
        }
        String name = alias.substring(colon + 1);
        return listener ? snapshot.listener(name).flatMap(LoadedListener::identity).orElse(null)
                : snapshot.profile(name).flatMap(LoadedProfile::identity).orElse(null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        String alias = listenerAlias(keyType, socket);
        if (alias != DELEGATE) {
            return alias;
        }
        return delegate == null ? null : delegate.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = listenerAlias(keyType, engine);
        if (alias != DELEGATE) {
            return alias;
        }
        return delegate instanceof X509ExtendedKeyManager
                ? ((X509ExtendedKeyManager) delegate).chooseEngineServerAlias(keyType, issuers, engine)
                : null;
    }

    /**
     * For a server handshake under a listener with an identity: {@code mtls-listener:<generation>:<name>},
     * or null when the identity's key does not fit the key type asked (SunJSSE asks again with
     * another); {@link #DELEGATE} for every other handshake, whose certificate the application's
     * key manager chooses as before.
     */
    private String listenerAlias(String keyType, Object transport) {
        try {
            Covered covered = ServerHandshakes.coveredBy(transport);
            Identity identity = covered == null ? null : covered.listener().identity().orElse(null);
            if (identity == null) {
                return DELEGATE;
            }
            if (!KeyTypes.fits(identity, new String[] {keyType})) {
                return null;
            }
            recent.remember(covered.snapshot());
            return LISTENER_PREFIX + covered.snapshot().generation() + ':' + covered.listener().name();
        } catch (RuntimeException | LinkageError e) {
            return DELEGATE;
        }
    }
}
