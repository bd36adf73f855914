package dev.mtls.agent.hook;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles.Lookup;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Puts the agent's manager wrapping into every {@code SSLContext#init} call, for every JSSE
 * provider: defines the bootstrap-visible hook class {@code javax.net.ssl.MtlsInitHook}, points
 * it at the agent, then retransforms SSLContext so that {@code init} calls it first.
 *
 * <p>Why inside javax.net.ssl: code inserted into a java.base class resolves names through the
 * bootstrap loader, which cannot see the agent jar. Putting the agent on the boot class path
 * would work too, but appending a jar there at run time makes the JVM print a CDS warning on
 * every start. {@code Lookup#defineClass} with a lookup into javax.net.ssl defines the class in
 * the bootstrap loader without that.
 */
public final class SslContextHook {
    /** How installation ended, when it did not throw. */
    public enum Outcome {
        INSTALLED,
        /** Another copy of the agent (in another class loader) hooked SSLContext first. */
        ALREADY_INSTALLED
    }

    private SslContextHook() {
    }

    /**
     * @throws HookException naming what failed; nothing is half-installed that could throw into
     *         the host (at worst the hook class exists with null functions, a pass-through)
     */
    public static Outcome install(Instrumentation instrumentation) throws HookException {
        if (!instrumentation.isRetransformClassesSupported()) {
            throw new HookException("this JVM does not support retransforming classes");
        }
        if (!instrumentation.isModifiableClass(SSLContext.class)) {
            throw new HookException("this JVM does not allow javax.net.ssl.SSLContext to be modified");
        }
        if (hookClassExists()) {
            return Outcome.ALREADY_INSTALLED;
        }
        Lookup sslPackage = sslPackageLookup(instrumentation);
        Class<?> hook;
        try {
            hook = sslPackage.defineClass(InitHookClass.bytes());
        } catch (IllegalAccessException | LinkageError e) {
            throw new HookException("cannot define " + InitHookClass.NAME + ": " + e, e);
        }
        setFunction(sslPackage, hook, InitHookClass.KEY_FUNCTION, new ManagerWrappingFunction.KeyManagers());
        setFunction(sslPackage, hook, InitHookClass.TRUST_FUNCTION, new ManagerWrappingFunction.TrustManagers());

        SslContextInitTransformer transformer =
                new SslContextInitTransformer(InitHookClass.NAME.replace('.', '/'));
        instrumentation.addTransformer(transformer, true);
        try {
            instrumentation.retransformClasses(SSLContext.class);
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

    private static boolean hookClassExists() {
        try {
            Class.forName(InitHookClass.NAME, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** See {@link SslPackageAccess} for why the package is opened to a throw-away loader only. */
    private static Lookup sslPackageLookup(Instrumentation instrumentation) throws HookException {
        Module javaBase = SSLContext.class.getModule();
        if (!instrumentation.isModifiableModule(javaBase)) {
            throw new HookException("this JVM does not allow module java.base to be modified");
        }
        IsolatedLoader loader = new IsolatedLoader(SslContextHook.class.getClassLoader());
        Class<?> access = loader.define(SslPackageAccess.class.getName(), classBytes(SslPackageAccess.class));
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
                Map.of(SSLContext.class.getPackageName(), Set.of(loader.getUnnamedModule())), Set.of(), Map.of());
        try {
            return (Lookup) access.getMethod("lookup").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new HookException("cannot get access to package javax.net.ssl: " + e, e);
        }
    }

    private static void setFunction(Lookup sslPackage, Class<?> hook, String field, Function<Object, Object> function)
            throws HookException {
        try {
            MethodHandle setter = sslPackage.findStaticSetter(hook, field, Function.class);
            setter.invokeExact(function);
        } catch (Throwable t) {
            throw new HookException("cannot set " + InitHookClass.NAME + "." + field + ": " + t, t);
        }
    }

    private static byte[] classBytes(Class<?> type) throws HookException {
        String resource = type.getSimpleName() + ".class";
        try (InputStream in = type.getResourceAsStream(resource)) {
            if (in == null) {
                throw new HookException("resource " + resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new HookException("cannot read " + resource + " from the agent jar: " + e, e);
        }
    }

    /** Its own unnamed module is what javax.net.ssl is opened to, and it holds nothing else. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader(ClassLoader parent) {
            super("mtls-agent-ssl-access", parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
