package dev.mtls.agent.netty;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.jsse.RoutingTrustManager;
import dev.mtls.listen.ServerHandshakes;
import dev.mtls.log.MtlsLog;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * What {@code SslContextBuilder#build} does first for a <em>server</em> builder on Netty's
 * OpenSSL/BoringSSL engine while listeners are in force (docs/LISTENERS.md, "Servers on other TLS
 * engines"): the builder's key manager factory becomes the routing key manager (around the
 * application's own, built from its key material if it gave that instead) behind a
 * {@link ListenerKeyManager}, and its trust manager factory the routing trust manager around the
 * application's. Netty asks that key manager at the start of every handshake, with the engine:
 * that is where the handshake is put under the listener without ports, its client authentication
 * raised on that engine, and, later in the same handshake, the routing trust manager runs the
 * listener's own trust and allow-list check. Nothing is fixed at build time, so a reload that
 * adds, changes or removes the listener reaches servers built before it.
 *
 * <p>A server builder for the JDK engine is left alone (the SunJSSE hooks cover it), and so is
 * every builder while no listener is in force. Public because the call is in Netty's class; it
 * reads and writes the builder's fields by reflection, since the builder is often a shaded copy
 * whose types we cannot name. Never throws: the build must go on.
 */
public final class NettyServerManagers {
    private NettyServerManagers() {
    }

    /** @param builder the {@code SslContextBuilder} being built */
    public static void prepare(Object builder) {
        try {
            Class<?> type = builder.getClass();
            if (!field(type, "forServer").getBoolean(builder)) {
                return;
            }
            ProfileSnapshot snapshot = ActiveProfiles.current();
            if (snapshot.listeners().isEmpty() || onJdkEngine(type, builder)) {
                return;
            }
            LoadedListener everyPort = snapshot.listenerForPort(-1).orElse(null);
            LoadedListener mandatoryByPort = ServerHandshakes.mandatoryPortListener(snapshot);
            if (mandatoryByPort != null) {
                MtlsLog.once("netty-server-port-listener:" + mandatoryByPort.name(), Level.ERROR,
                        "a Netty server on the OpenSSL engine cannot be put under listener '" + mandatoryByPort.name()
                        + "' by port: its handshakes never reach the JDK's TLS code, where the port is told. As the"
                        + " listener is mandatory, every handshake of this server is refused. Build it with"
                        + " SslProvider.JDK, or write a listener without ports");
            } else if (everyPort == null) {
                MtlsLog.once("netty-server-port-listeners", Level.WARNING, "a Netty server on the OpenSSL engine is"
                        + " not under any listener: listeners with ports do not apply to it (build it with"
                        + " SslProvider.JDK, or write a listener without ports)");
            }
            Object credentials = optionalField(type, "credentials", builder);
            if (credentials instanceof List && !((List<?>) credentials).isEmpty()) {
                MtlsLog.once("netty-server-credentials", Level.ERROR, "a Netty server on the OpenSSL engine built"
                        + " from OpenSslCredential objects cannot be put under listeners; it runs as without the agent");
                return;
            }
            if (!supportsKeyManagerFactory(type)) {
                MtlsLog.once("netty-server-no-kmf", Level.ERROR, "this Netty/OpenSSL build does not support a"
                        + " KeyManagerFactory, so its servers cannot be put under listeners; they run as without the agent");
                return;
            }
            TrustManager[] trust = ManagerWrapping.wrapTrustManagers(applicationTrust(type, builder),
                    ActiveProfiles.source());
            KeyManager[] keys = ManagerWrapping.wrapKeyManagers(applicationKeys(type, builder),
                    ActiveProfiles.source());
            X509ExtendedKeyManager routing = firstExtended(keys);
            if (routing == null || trust == null) {
                return;
            }
            boolean trustIsOurs = firstX509(trust) instanceof RoutingTrustManager;
            field(type, "keyManagerFactory").set(builder, new NettyClientManagers.RoutingKeyManagerFactory(
                    new KeyManager[] {new ListenerKeyManager(routing, trustIsOurs)}));
            field(type, "trustManagerFactory").set(builder, new NettyClientManagers.RoutingTrustManagerFactory(trust));
        } catch (Throwable t) {
            MtlsLog.once("netty-server-prepare", Level.ERROR, "cannot put a Netty server on the OpenSSL engine under"
                    + " listeners (" + t + "); it runs as without the agent");
        }
    }

    /** Netty's own choice when the application named no provider: OpenSSL when tcnative is there. */
    private static boolean onJdkEngine(Class<?> type, Object builder) throws ReflectiveOperationException {
        Object provider = field(type, "provider").get(builder);
        if (provider == null) {
            provider = sibling(type, "SslContext").getMethod("defaultServerProvider").invoke(null);
        }
        return provider == null || "JDK".equals(((Enum<?>) provider).name());
    }

    private static boolean supportsKeyManagerFactory(Class<?> type) throws ReflectiveOperationException {
        return Boolean.TRUE.equals(sibling(type, "OpenSsl").getMethod("supportsKeyManagerFactory").invoke(null));
    }

    /** The key managers the application configured, or made from its certificate and key as Netty would. */
    private static KeyManager[] applicationKeys(Class<?> type, Object builder) throws Exception {
        KeyManagerFactory configured = (KeyManagerFactory) field(type, "keyManagerFactory").get(builder);
        if (configured != null) {
            return configured.getKeyManagers();
        }
        X509Certificate[] chain = (X509Certificate[]) field(type, "keyCertChain").get(builder);
        PrivateKey key = (PrivateKey) field(type, "key").get(builder);
        if (chain == null || key == null) {
            return null;
        }
        String password = (String) optionalField(type, "keyPassword", builder);
        char[] secret = password == null ? new char[0] : password.toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", key, secret, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, secret);
        return factory.getKeyManagers();
    }

    /** The trust managers the application configured, or the ones Netty would make itself. */
    private static TrustManager[] applicationTrust(Class<?> type, Object builder) throws Exception {
        TrustManagerFactory configured = (TrustManagerFactory) field(type, "trustManagerFactory").get(builder);
        if (configured != null) {
            return configured.getTrustManagers();
        }
        X509Certificate[] certificates = (X509Certificate[]) optionalField(type, "trustCertCollection", builder);
        KeyStore store = null;
        if (certificates != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry(Integer.toString(i), certificates[i]);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static X509ExtendedKeyManager firstExtended(KeyManager[] managers) {
        for (KeyManager manager : managers) {
            if (manager instanceof X509KeyManager) {
                return manager instanceof X509ExtendedKeyManager ? (X509ExtendedKeyManager) manager : null;
            }
        }
        return null;
    }

    private static X509TrustManager firstX509(TrustManager[] managers) {
        for (TrustManager manager : managers) {
            if (manager instanceof X509TrustManager) {
                return (X509TrustManager) manager;
            }
        }
        return null;
    }

    private static Class<?> sibling(Class<?> builder, String simpleName) throws ClassNotFoundException {
        String name = builder.getName();
        return Class.forName(name.substring(0, name.lastIndexOf('.') + 1) + simpleName, false,
                builder.getClassLoader());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Object optionalField(Class<?> type, String name, Object builder) throws IllegalAccessException {
        try {
            return field(type, name).get(builder);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }
}
