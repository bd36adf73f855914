package dev.mtls.agent.hook;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Generates the bytes of {@code javax.net.ssl.MtlsInitHook}, the one class the code inserted
 * into {@code SSLContext#init} calls. It lives in java.base's package, defined by the bootstrap
 * loader, so it may use JDK types only; it amounts to:
 *
 * <pre>{@code
 * final class MtlsInitHook {                       // package-private: only SSLContext calls it
 *     static volatile Function keyFunction;        // set by the agent, null = pass-through
 *     static volatile Function trustFunction;
 *     static volatile Function contextFunction;    // registers the context for the session sweep
 *
 *     static KeyManager[] keyManagers(KeyManager[] managers) {
 *         try {
 *             Function f = keyFunction;
 *             return f == null ? managers : (KeyManager[]) f.apply(managers);
 *         } catch (Throwable t) {
 *             return managers;                    // never throw into the host
 *         }
 *     }
 *     // trustManagers(TrustManager[]) and context(SSLContext) likewise
 * }
 * }</pre>
 *
 * <p>Why generate rather than compile: javac refuses a source file in a package of java.base,
 * and its {@code --patch-module} cannot be combined with {@code --release 11}. Twenty
 * instructions written with ASM (relocated in the agent jar) cost nothing extra at run
 * time. The members are package-private so that only {@code SSLContext} can call the hook and
 * only the agent (through a lookup into javax.net.ssl) can set the functions: a public field
 * would let any code on the class path see and replace every application's managers.
 */
final class InitHookClass {
    static final String NAME = "javax.net.ssl.MtlsInitHook";
    static final String KEY_FUNCTION = "keyFunction";
    static final String TRUST_FUNCTION = "trustFunction";
    static final String CONTEXT_FUNCTION = "contextFunction";
    static final String KEY_METHOD = "keyManagers";
    static final String TRUST_METHOD = "trustManagers";
    static final String CONTEXT_METHOD = "context";
    static final String KEY_DESCRIPTOR = "([Ljavax/net/ssl/KeyManager;)[Ljavax/net/ssl/KeyManager;";
    static final String TRUST_DESCRIPTOR = "([Ljavax/net/ssl/TrustManager;)[Ljavax/net/ssl/TrustManager;";
    static final String CONTEXT_DESCRIPTOR = "(Ljavax/net/ssl/SSLContext;)Ljavax/net/ssl/SSLContext;";

    static final String FUNCTION = "java/util/function/Function";

    private InitHookClass() {
    }

    /** The production class, {@value #NAME}. */
    static byte[] bytes() {
        return bytes(NAME.replace('.', '/'));
    }

    /** @param internalName a different name lets tests load the same code outside java.base */
    static byte[] bytes(String internalName) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        // Java 11 class files: the oldest JDK the agent supports must accept it.
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, internalName, null,
                "java/lang/Object", null);
        for (String field : new String[] {KEY_FUNCTION, TRUST_FUNCTION, CONTEXT_FUNCTION}) {
            writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, field, "L" + FUNCTION + ";", null, null)
                    .visitEnd();
        }
        passThroughMethod(writer, internalName, KEY_METHOD, KEY_DESCRIPTOR, KEY_FUNCTION,
                "[Ljavax/net/ssl/KeyManager;");
        passThroughMethod(writer, internalName, TRUST_METHOD, TRUST_DESCRIPTOR, TRUST_FUNCTION,
                "[Ljavax/net/ssl/TrustManager;");
        passThroughMethod(writer, internalName, CONTEXT_METHOD, CONTEXT_DESCRIPTOR, CONTEXT_FUNCTION,
                "javax/net/ssl/SSLContext");
        writer.visitEnd();
        return writer.toByteArray();
    }

    /**
     * {@code static T name(T argument)}: the function in {@code field} applied to the argument,
     * cast to {@code resultType}; the argument itself when no function is set or anything fails.
     */
    static void passThroughMethod(ClassWriter writer, String owner, String name, String descriptor,
            String field, String resultType) {
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_STATIC, name, descriptor, null, null);
        method.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label apply = new Label();
        method.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        method.visitLabel(start);
        method.visitFieldInsn(Opcodes.GETSTATIC, owner, field, "L" + FUNCTION + ";");
        method.visitInsn(Opcodes.DUP);
        method.visitJumpInsn(Opcodes.IFNONNULL, apply);
        method.visitInsn(Opcodes.POP);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitInsn(Opcodes.ARETURN);
        method.visitLabel(apply);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitMethodInsn(Opcodes.INVOKEINTERFACE, FUNCTION, "apply", "(Ljava/lang/Object;)Ljava/lang/Object;",
                true);
        method.visitTypeInsn(Opcodes.CHECKCAST, resultType);
        method.visitInsn(Opcodes.ARETURN);
        method.visitLabel(end);
        method.visitLabel(handler);
        method.visitInsn(Opcodes.POP);
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
    }
}
