package dev.mtls.agent.hook;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.function.Consumer;

/**
 * Rewrites one method of one JDK class (loaded by the boot loader) and remembers whether that
 * worked, and if not why: the JVM swallows whatever a transformer throws, and the installer must
 * be able to say what went wrong. A subclass supplies the rewrite, and what must exist before the
 * rewritten class runs (the hook class it calls), which is made only when the target class loads:
 * registered in premain, a transformer costs a string comparison per class until then. No ASM
 * type appears in this class (see {@link MethodRewriter}), so that loading it loads no ASM.
 */
abstract class JdkClassTransformer implements ClassFileTransformer {
    private final String target;
    private final String method;
    private final String signature;
    private final String hookOwner;
    private final Consumer<String> onLoadFailure;
    private final Preparation preparation;
    private volatile boolean applied;
    private volatile Throwable failure;

    /**
     * @param target internal name of the class, e.g. {@code javax/net/ssl/SSLContext}
     * @param method the method rewritten, as messages name it after the class, e.g. {@code init}
     * @param signature the same with its parameters, for "has no method ..."
     * @param hookOwner internal name of the hook class the inserted calls go to
     * @param onLoadFailure told why, when the class loads (rather than being retransformed, where
     *        the installer reads {@link #failure()}) and cannot be instrumented
     * @param preparation run before the rewrite (the hook class is defined only when the target loads)
     */
    JdkClassTransformer(String target, String method, String signature, String hookOwner,
            Consumer<String> onLoadFailure, Preparation preparation) {
        this.preparation = preparation;
        this.target = target;
        this.method = method;
        this.signature = signature;
        this.hookOwner = hookOwner;
        this.onLoadFailure = onLoadFailure;
    }

    /** The class with the hook calls inserted, or null when it has no such method. */
    abstract byte[] rewrite(byte[] classFile, String hookOwner);

    /** What must exist before the rewritten class runs. A class, not a lambda, in production. */
    interface Preparation {
        /** Makes what the inserted calls call (the hook class); runs before every rewrite, so idempotent. */
        void prepare() throws HookException;
    }

    @Override
    public final byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // Called for every class the JVM loads from now on: keep the miss cheap.
        if (loader != null || !target.equals(className)) {
            return null;
        }
        Throwable problem;
        try {
            preparation.prepare();
            byte[] result = rewrite(classfileBuffer, hookOwner);
            if (result != null) {
                applied = true;
                return result;
            }
            problem = new IllegalStateException(simpleName() + " has no method " + signature);
        } catch (Throwable t) {
            problem = t;
        }
        failure = problem;
        if (classBeingRedefined == null && onLoadFailure != null) {
            onLoadFailure.accept("cannot instrument " + target.replace('/', '.') + "#" + method + ": " + problem);
        }
        return null;
    }

    boolean applied() {
        return applied;
    }

    Throwable failure() {
        return failure;
    }

    private String simpleName() {
        return target.substring(target.lastIndexOf('/') + 1);
    }
}
