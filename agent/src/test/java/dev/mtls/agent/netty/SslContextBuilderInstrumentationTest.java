package dev.mtls.agent.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.jsse.RoutingKeyManager;
import dev.mtls.jsse.RoutingTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.Test;

/**
 * The calls inserted into stand-ins for Netty's builder (shaped like 4.1, like 4.2 with OpenSSL
 * credentials, and one whose build() starts with a loop), each loaded, and so verified, from the
 * instrumented bytes in a loader of its own: what the build would use afterwards is what Netty's
 * contexts get.
 */
class SslContextBuilderInstrumentationTest {
    private static final String CLASSIC = "dev.mtls.agent.netty.fixture.classic.handler.ssl.SslContextBuilder";
    private static final String MODERN = "dev.mtls.agent.netty.fixture.modern.handler.ssl.SslContextBuilder";
    private static final String LOOP = "dev.mtls.agent.netty.fixture.loop.handler.ssl.SslContextBuilder";

    @Test
    void clientBuilderWithoutKeyMaterialGetsRoutingKeyManager() throws Exception {
        for (String builderClass : List.of(CLASSIC, MODERN, LOOP)) {
            Object[] used = build(invoke(instrumented(builderClass), "forClient"));

            KeyManagerFactory keys = assertInstanceOf(KeyManagerFactory.class, used[0], builderClass);
            RoutingKeyManager routing = assertInstanceOf(RoutingKeyManager.class, keys.getKeyManagers()[0], builderClass);
            assertNull(routing.delegate(), builderClass);
            assertNull(used[1], "Netty's default trust comes from the provider's factory: " + builderClass);
        }
    }

    @Test
    void applicationKeyManagerIsWrappedSoUnmatchedHostsStillGetIt() throws Exception {
        KeyManagerFactory own = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        own.init(emptyKeyStore(), new char[0]);
        Object builder = invoke(instrumented(CLASSIC), "forClient");
        builder.getClass().getMethod("keyManager", KeyManagerFactory.class).invoke(builder, own);

        KeyManagerFactory keys = (KeyManagerFactory) build(builder)[0];

        RoutingKeyManager routing = assertInstanceOf(RoutingKeyManager.class, keys.getKeyManagers()[0]);
        assertSame(own.getKeyManagers()[0].getClass(), routing.delegate().getClass());
    }

    @Test
    void applicationTrustManagerFactoryGetsRoutingTrustManager() throws Exception {
        TrustManagerFactory own = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        own.init((KeyStore) null);
        Object builder = invoke(instrumented(CLASSIC), "forClient");
        builder.getClass().getMethod("trustManager", TrustManagerFactory.class).invoke(builder, own);

        TrustManagerFactory trust = (TrustManagerFactory) build(builder)[1];

        assertInstanceOf(RoutingTrustManager.class, trust.getTrustManagers()[0]);
    }

    @Test
    void buildingTwiceWrapsOnce() throws Exception {
        Object builder = invoke(instrumented(CLASSIC), "forClient");

        Object first = build(builder)[0];
        Object second = build(builder)[0];

        assertSame(first, second);
        X509KeyManager manager = (X509KeyManager) ((KeyManagerFactory) second).getKeyManagers()[0];
        assertNull(((RoutingKeyManager) manager).delegate());
    }

    @Test
    void serverBuilderIsLeftAlone() throws Exception {
        KeyManagerFactory own = KeyManagerFactory.getInstance("SunX509", "SunJSSE");
        own.init(emptyKeyStore(), new char[0]);
        Class<?> type = instrumented(CLASSIC);
        Object builder = type.getMethod("forServer", KeyManagerFactory.class).invoke(null, own);

        assertSame(own, build(builder)[0]);
    }

    @Test
    void clientKeyAndChainGivenByTheApplicationAreLeftAlone() throws Exception {
        Object builder = invoke(instrumented(CLASSIC), "forClient");
        PrivateKey key = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate();
        builder.getClass().getMethod("keyManager", PrivateKey.class, X509Certificate[].class)
                .invoke(builder, key, new X509Certificate[0]);

        assertNull(build(builder)[0]);
    }

    @Test
    void openSslCredentialsGivenByTheApplicationAreLeftAlone() throws Exception {
        Object builder = invoke(instrumented(MODERN), "forClient");
        builder.getClass().getMethod("addCredential", Object.class).invoke(builder, "a credential");

        assertNull(build(builder)[0]);
    }

    @Test
    void buildGoesOnUnchangedWhereTheAgentIsInvisible() throws Exception {
        // A loader that sees only the JDK, as an OSGi bundle might: the inserted call fails, the build does not.
        ClassLoader jdkOnly = ClassLoader.getPlatformClassLoader();
        byte[] bytes = SslContextBuilderInstrumentation.instrument(CLASSIC.replace('.', '/'), classFile(CLASSIC));
        Class<?> type = new SingleClassLoader(CLASSIC, bytes, jdkOnly).loadClass(CLASSIC);

        Object[] used = build(invoke(type, "forClient"));

        assertNull(used[0]);
        assertNull(used[1]);
    }

    @Test
    void classWithoutBuilderFieldsIsRefused() throws IOException {
        String name = "dev/mtls/agent/netty/NettyClientManagers";
        byte[] bytes = classFile(name.replace('/', '.'));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> SslContextBuilderInstrumentation.instrument(name, bytes));
        assertTrue(refused.getMessage().startsWith(name + " has no field "), refused.getMessage());
    }

    @Test
    void transformerMatchesNettyAndShadedBuildersOnly() {
        assertTrue(SslContextBuilderTransformer.matches("io/netty/handler/ssl/SslContextBuilder"));
        assertTrue(SslContextBuilderTransformer.matches(
                "io/grpc/netty/shaded/io/netty/handler/ssl/SslContextBuilder"));
        assertEquals(List.of(), matching("io/netty/handler/ssl/SslContext", "io/netty/handler/ssl/SslContextBuilderX",
                "io/netty/handler/ssl/SslContextBuilder$1", "com/example/SslContextBuilder",
                "io/netty/handler/ssl/JdkSslContextBuilder"));
    }

    @Test
    void transformerLeavesAClassThatCannotBeInstrumentedAsItIsAndSaysWhy() throws IOException {
        List<String> failures = new ArrayList<>();
        SslContextBuilderTransformer transformer = new SslContextBuilderTransformer(failures::add);

        byte[] result = transformer.transform(getClass().getClassLoader(), "x/handler/ssl/SslContextBuilder", null,
                null, classFile("dev.mtls.agent.netty.NettyClientManagers"));

        assertNull(result);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("cannot instrument x.handler.ssl.SslContextBuilder#build: "),
                failures.get(0));
    }

    private static List<String> matching(String... names) {
        List<String> matched = new ArrayList<>();
        for (String name : names) {
            if (SslContextBuilderTransformer.matches(name)) {
                matched.add(name);
            }
        }
        return matched;
    }

    private static Class<?> instrumented(String className) throws Exception {
        byte[] bytes = SslContextBuilderInstrumentation.instrument(className.replace('.', '/'), classFile(className));
        return new SingleClassLoader(className, bytes, SslContextBuilderInstrumentationTest.class.getClassLoader())
                .loadClass(className);
    }

    private static Object invoke(Class<?> type, String factoryMethod) throws Exception {
        return type.getMethod(factoryMethod).invoke(null);
    }

    private static Object[] build(Object builder) throws Exception {
        return (Object[]) builder.getClass().getMethod("build").invoke(builder);
    }

    private static byte[] classFile(String className) throws IOException {
        try (InputStream in = SslContextBuilderInstrumentationTest.class
                .getResourceAsStream("/" + className.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static KeyStore emptyKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    /** Defines one class from the given bytes; everything else, the inserted calls' target too, from the parent. */
    private static final class SingleClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        SingleClassLoader(String name, byte[] bytes, ClassLoader parent) {
            super(parent);
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (!className.equals(name)) {
                return super.loadClass(className, resolve);
            }
            synchronized (getClassLoadingLock(className)) {
                Class<?> loaded = findLoadedClass(className);
                return loaded != null ? loaded : defineClass(className, bytes, 0, bytes.length);
            }
        }
    }
}
