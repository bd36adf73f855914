package dev.mtls.agent.hook;

import dev.mtls.sessions.ClientSessionSweeper;
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
 * <p>Nothing of this happens before TLS is used: the transformer, registered in premain, defines
 * the hook class (beside {@code sun.security.ssl.SunJSSE}, through the package access the
 * SSLContext hook set up) as the session cache first loads, before rewriting it, so that no
 * transformed lookup can ever run without it. When the cache is already loaded (an attach), both
 * happen at install.
 */
public final class SessionResumptionHook {
    static final String CACHE_CLASS = "sun.security.ssl.SSLSessionContextImpl";
    private static final String ANCHOR_CLASS = "sun.security.ssl.SunJSSE";
    private static boolean defined;

    private SessionResumptionHook() {
    }

    /**
     * @param onLoadFailure told why, should the session cache load later and cannot be instrumented
     * @return false when another copy of the agent has hooked the cache already
     * @throws HookException naming what failed; at worst the hook class exists and nothing calls it
     */
    public static boolean install(Instrumentation instrumentation, ClientSessionSweeper sweeper,
            Consumer<String> onLoadFailure) throws HookException {
        if (hookClassExists()) {
            return false;
        }
        SessionCacheTransformer transformer = new SessionCacheTransformer(ResumptionHookClass.NAME.replace('.', '/'),
                onLoadFailure, new SessionCacheTransformer.DefineHook(instrumentation, sweeper));
        instrumentation.addTransformer(transformer, true);
        Class<?> cache = SslContextHook.bootstrapClass(instrumentation, CACHE_CLASS);
        if (cache == null) {
            return true;
        }
        try {
            defineHookClass(instrumentation, sweeper);
            instrumentation.retransformClasses(cache);
        } catch (HookException e) {
            instrumentation.removeTransformer(transformer);
            throw e;
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

    /** Once, before the cache is first rewritten; needs the package access the SSLContext hook opens. */
    static synchronized void defineHookClass(Instrumentation instrumentation, ClientSessionSweeper sweeper)
            throws HookException {
        if (defined) {
            return;
        }
        SslContextHook.defineHookClass(instrumentation);
        Class<?> anchor;
        try {
            anchor = Class.forName(ANCHOR_CLASS, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new HookException("cannot find " + ANCHOR_CLASS + ": " + e, e);
        }
        defineHook(SslContextHook.access(), anchor, new ResumptionFilter(sweeper));
        defined = true;
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
