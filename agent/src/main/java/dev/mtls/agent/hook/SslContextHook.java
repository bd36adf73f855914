package dev.mtls.agent.hook;

import dev.mtls.sessions.WrappedContexts;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Puts the agent's manager wrapping into every {@code SSLContext#init} call, for every JSSE
 * provider: defines the bootstrap-visible hook class {@code javax.net.ssl.MtlsInitHook}, points
 * it at the agent, and makes {@code init} call it first, either as SSLContext loads or, when it
 * already has, by retransforming it.
 *
 * <p>Why inside javax.net.ssl: code inserted into a java.base class resolves names through the
 * bootstrap loader, which cannot see the agent jar. Putting the agent on the boot class path
 * would work too, but appending a jar there at run time makes the JVM print a CDS warning on
 * every start. {@code Lookup#defineClass} with a lookup into javax.net.ssl defines the class in
 * the bootstrap loader without that.
 *
 * <p>Start-up cost is the reason for most choices here (docs/PERFORMANCE.md, "Start-up"): no
 * method handles of our own, SSLContext never loaded just to be hooked, and the
 * classes that only the throw-away loader needs never loaded into the agent's loader.
 */
public final class SslContextHook {
    static final String SSL_CONTEXT = "javax.net.ssl.SSLContext";
    private static final String ACCESS_CLASS = "dev.mtls.agent.hook.SslPackageAccess";
    private static final String SSL_PACKAGE = "javax.net.ssl";
    /** SunJSSE's own package, for the session resumption hook (see SessionResumptionHook). */
    private static final String SUN_SSL_PACKAGE = "sun.security.ssl";
    /** The copy of SslPackageAccess that the two packages are open to, once defined. */
    private static volatile Class<?> access;

    /** How installation ended, when it did not throw. */
    public enum Outcome {
        /** SSLContext was already loaded and is now retransformed. */
        INSTALLED,
        /** SSLContext is not loaded yet; it will be transformed as it loads. */
        INSTALLED_ON_LOAD,
        /** Another copy of the agent (in another class loader) hooked SSLContext first. */
        ALREADY_INSTALLED
    }

    private SslContextHook() {
    }

    /**
     * @param onLoadFailure told why, should SSLContext load later and its init cannot be instrumented
     * @throws HookException naming what failed; nothing is half-installed that could throw into
     *         the host (at worst the hook class exists with functions no code calls)
     */
    public static Outcome install(Instrumentation instrumentation, Consumer<String> onLoadFailure)
            throws HookException {
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new HookException("this JVM does not support retransforming classes");
        }
        if (hookClassExists()) {
            return Outcome.ALREADY_INSTALLED;
        }

        // Registered before looking for SSLContext: if another thread (after an attach) loads it in
        // between, the transformer sees that load; if both happen, retransforming again is harmless.
        // The hook class is defined by the transformer as SSLContext loads (nothing before TLS is used).
        SslContextInitTransformer transformer = new SslContextInitTransformer(InitHookClass.NAME.replace('.', '/'),
                onLoadFailure, new SslContextInitTransformer.DefineHook(instrumentation));
        instrumentation.addTransformer(transformer, true);
        Class<?> loaded = bootstrapClass(instrumentation, SSL_CONTEXT);
        if (loaded == null) {
            return Outcome.INSTALLED_ON_LOAD;
        }
        try {
            defineHookClass(instrumentation);
        } catch (HookException e) {
            instrumentation.removeTransformer(transformer);
            throw e;
        }
        if (!instrumentation.isModifiableClass(loaded)) {
            instrumentation.removeTransformer(transformer);
            throw new HookException("this JVM does not allow javax.net.ssl.SSLContext to be modified");
        }
        try {
            instrumentation.retransformClasses(loaded);
        } catch (Exception | LinkageError e) {
            instrumentation.removeTransformer(transformer);
            throw new HookException("cannot retransform javax.net.ssl.SSLContext: " + e, e);
        }
        if (!transformer.applied()) {
            instrumentation.removeTransformer(transformer);
            Throwable failure = transformer.failure();
            throw new HookException("cannot instrument javax.net.ssl.SSLContext#init"
                    + (failure == null ? "" : ": " + failure), failure);
        }
        return Outcome.INSTALLED;
    }

    /** The copy of {@link SslPackageAccess} in the throw-away loader, or null until this agent defined the hook. */
    static Class<?> access() {
        return access;
    }

    /** Asking the boot loader by name is safe here: no class of that name exists to be loaded. */
    private static boolean hookClassExists() {
        try {
            Class.forName(InitHookClass.NAME, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * The class if the bootstrap loader has loaded it, else null; never loads it
     * ({@code Class.forName} would). Listing the boot loader's classes costs about a millisecond.
     */
    public static Class<?> bootstrapClass(Instrumentation instrumentation, String name) {
        for (Class<?> type : instrumentation.getInitiatedClasses(null)) {
            if (type.getName().equals(name)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Defines the hook class and opens javax.net.ssl and sun.security.ssl to the throw-away loader,
     * once: as SSLContext first loads (from its transformer), or at install when it already has.
     * See {@link SslPackageAccess} for why the packages are opened to a throw-away loader only.
     */
    static synchronized void defineHookClass(Instrumentation instrumentation) throws HookException {
        if (access != null) {
            return;
        }
        Module javaBase = Object.class.getModule();
        if (!instrumentation.isModifiableModule(javaBase)) {
            throw new HookException("this JVM does not allow module java.base to be modified");
        }
        IsolatedLoader loader = new IsolatedLoader(SslContextHook.class.getClassLoader());
        Class<?> defined = loader.define(ACCESS_CLASS, classBytes(ACCESS_CLASS));
        Set<Module> only = Set.of(loader.getUnnamedModule());
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(), Map.of(SSL_PACKAGE, only, SUN_SSL_PACKAGE, only),
                Set.of(), Map.of());
        try {
            defined.getMethod("defineHook", byte[].class, String.class, Function.class, String.class, Function.class,
                    String.class, Function.class)
                    .invoke(null, InitHookClass.bytes(), InitHookClass.KEY_FUNCTION,
                            new ManagerWrappingFunction.KeyManagers(), InitHookClass.TRUST_FUNCTION,
                            new ManagerWrappingFunction.TrustManagers(), InitHookClass.CONTEXT_FUNCTION,
                            new ManagerWrappingFunction.RegisterContext());
            WrappedContexts.findDefaultContextWith(new DefaultContextFinder(defined));
            access = defined;
        } catch (InvocationTargetException e) {
            throw new HookException("cannot define " + InitHookClass.NAME + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new HookException("cannot define " + InitHookClass.NAME + ": " + e, e);
        }
    }

    private static byte[] classBytes(String className) throws HookException {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = SslContextHook.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new HookException("resource " + resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new HookException("cannot read " + resource + " from the agent jar: " + e, e);
        }
    }

    /** Its own unnamed module is what javax.net.ssl and sun.security.ssl are opened to, and it holds nothing else. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader(ClassLoader parent) {
            super("mtls-agent-ssl-access", parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
