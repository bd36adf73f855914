package dev.mtls.agent.hook;

import dev.mtls.jsse.ClientSessionSweeper;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes SunJSSE ask the agent before it resumes a cached client session (see
 * {@link SessionCacheTransformer} for why): defines {@code sun.security.ssl.MtlsResumptionHook},
 * points it at {@link ClientSessionSweeper#mayResume}, and inserts the calls into the cache's
 * lookup.
 *
 * <p>The hook class is defined first, beside {@code sun.security.ssl.SunJSSE} (which the
 * provider installation has loaded already), so that no transformed lookup can ever run without
 * it. The session cache itself is left to load when the application first uses TLS, and is
 * transformed then, as SSLContext is: an application that never does pays nothing more. When it
 * is already loaded (an attach), it is retransformed.
 */
public final class SessionResumptionHook {
    static final String CACHE_CLASS = "sun.security.ssl.SSLSessionContextImpl";
    private static final String ANCHOR_CLASS = "sun.security.ssl.SunJSSE";

    private SessionResumptionHook() {
    }

    /**
     * @param onLoadFailure told why, should the session cache load later and cannot be instrumented
     * @return false when there is nothing to install it with: the SSLContext hook is not installed
     *         by this copy of the agent (its own failure says why)
     * @throws HookException naming what failed; at worst the hook class exists and nothing calls it
     */
    public static boolean install(Instrumentation instrumentation, ClientSessionSweeper sweeper,
            Consumer<String> onLoadFailure) throws HookException {
        Class<?> access = SslContextHook.access();
        if (access == null || hookClassExists()) {
            return false;
        }
        Class<?> anchor;
        try {
            anchor = Class.forName(ANCHOR_CLASS, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new HookException("cannot find " + ANCHOR_CLASS + ": " + e, e);
        }
        defineHook(access, anchor, new ResumptionFilter(sweeper));

        SessionCacheTransformer transformer =
                new SessionCacheTransformer(ResumptionHookClass.NAME.replace('.', '/'), onLoadFailure);
        instrumentation.addTransformer(transformer, true);
        Class<?> cache = SslContextHook.bootstrapClass(instrumentation, CACHE_CLASS);
        if (cache == null) {
            return true;
        }
        try {
            instrumentation.retransformClasses(cache);
        } catch (Exception | LinkageError e) {
            instrumentation.removeTransformer(transformer);
            throw new HookException("cannot retransform " + CACHE_CLASS + ": " + e, e);
        }
        if (!transformer.applied()) {
            instrumentation.removeTransformer(transformer);
            Throwable failure = transformer.failure();
            throw new HookException("cannot instrument " + CACHE_CLASS + "#get(String, int)"
                    + (failure == null ? "" : ": " + failure), failure);
        }
        return true;
    }

    private static boolean hookClassExists() {
        try {
            Class.forName(ResumptionHookClass.NAME, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void defineHook(Class<?> access, Class<?> beside, Function<Object, Object> filter)
            throws HookException {
        try {
            access.getMethod("defineBeside", Class.class, byte[].class, String.class, Function.class)
                    .invoke(null, beside, ResumptionHookClass.bytes(), ResumptionHookClass.FILTER, filter);
        } catch (InvocationTargetException e) {
            throw new HookException("cannot define " + ResumptionHookClass.NAME + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new HookException("cannot define " + ResumptionHookClass.NAME + ": " + e, e);
        }
    }
}
