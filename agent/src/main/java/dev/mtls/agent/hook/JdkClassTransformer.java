package dev.mtls.agent.hook;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites one method of one JDK class (loaded by the boot loader) and remembers whether that
 * worked, and if not why: the JVM swallows whatever a transformer throws, and the installer must
 * be able to say what went wrong. A subclass supplies the rewrite.
 */
abstract class JdkClassTransformer implements ClassFileTransformer {
    private final String target;
    private final String method;
    private final String signature;
    private final String hookOwner;
    private final Consumer<String> onLoadFailure;
    private volatile boolean applied;
    private volatile Throwable failure;

    /**
     * @param target internal name of the class, e.g. {@code javax/net/ssl/SSLContext}
     * @param method the method rewritten, as messages name it after the class, e.g. {@code init}
     * @param signature the same with its parameters, for "has no method ..."
     * @param hookOwner internal name of the hook class the inserted calls go to
     * @param onLoadFailure told why, when the class loads (rather than being retransformed, where
     *        the installer reads {@link #failure()}) and cannot be instrumented
     */
    JdkClassTransformer(String target, String method, String signature, String hookOwner,
            Consumer<String> onLoadFailure) {
        this.target = target;
        this.method = method;
        this.signature = signature;
        this.hookOwner = hookOwner;
        this.onLoadFailure = onLoadFailure;
    }

    /** The class with the hook calls inserted, or null when it has no such method. */
    abstract byte[] rewrite(byte[] classFile, String hookOwner);

    @Override
    public final byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // Called for every class the JVM loads from now on: keep the miss cheap.
        if (loader != null || !target.equals(className)) {
            return null;
        }
        Throwable problem;
        try {
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

    /**
     * The class with the one instance method {@code name}{@code descriptor} passed through
     * {@code rewrite}, every other method copied as it is; null when the class has no such method.
     */
    static byte[] rewriteInstanceMethod(byte[] classFile, String name, String descriptor, MethodRewrite rewrite) {
        ClassReader reader = new ClassReader(classFile);
        // Passing the reader lets ASM copy every untouched method's bytes as they are.
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] found = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String methodName, String methodDescriptor, String signature,
                    String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, methodName, methodDescriptor, signature, exceptions);
                if (!name.equals(methodName) || !descriptor.equals(methodDescriptor)
                        || (access & Opcodes.ACC_STATIC) != 0) {
                    return method;
                }
                found[0] = true;
                return rewrite.wrap(method);
            }
        }, 0);
        return found[0] ? writer.toByteArray() : null;
    }

    /** What to insert into the method: a visitor around the one that writes it. A class, not a lambda, where used. */
    interface MethodRewrite {
        MethodVisitor wrap(MethodVisitor method);
    }

    private String simpleName() {
        return target.substring(target.lastIndexOf('/') + 1);
    }
}
