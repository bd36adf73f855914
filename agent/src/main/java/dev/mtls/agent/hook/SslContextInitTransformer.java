package dev.mtls.agent.hook;

import dev.mtls.snapshot.ActiveProfiles;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts, at the start of {@code SSLContext#init(KeyManager[], TrustManager[], SecureRandom)}:
 *
 * <pre>{@code
 * MtlsInitHook.context(this);          // remembered, weakly, for the session sweep after a reload
 * km = MtlsInitHook.keyManagers(km);
 * tm = MtlsInitHook.trustManagers(tm);
 * }</pre>
 *
 * <p>Nine instructions with plain ASM (relocated in the agent jar): Byte Buddy's own
 * {@code AgentBuilder} or {@code Advice} would load hundreds of classes at start-up for the
 * same effect (measured at +250 to +400 ms against +30 to +60 ms for this). No frames need
 * recomputing: nothing branches, and the two parameters keep their types.
 *
 * <p>It stays registered after the first retransformation: a later retransformation of
 * SSLContext by anyone (another agent, a profiler) starts again from the original bytes and
 * would otherwise drop the hook.
 */
final class SslContextInitTransformer extends JdkClassTransformer {
    static final String TARGET = "javax/net/ssl/SSLContext";
    static final String INIT_DESCRIPTOR =
            "([Ljavax/net/ssl/KeyManager;[Ljavax/net/ssl/TrustManager;Ljava/security/SecureRandom;)V";

    SslContextInitTransformer(String hookOwner, Consumer<String> onLoadFailure, Preparation preparation) {
        super(TARGET, "init", "init(KeyManager[], TrustManager[], SecureRandom)", hookOwner, onLoadFailure,
                preparation);
    }

    /** Defines the hook class as SSLContext first loads. */
    static final class DefineHook implements Preparation {
        private final Instrumentation instrumentation;

        DefineHook(Instrumentation instrumentation) {
            this.instrumentation = instrumentation;
        }

        @Override
        public void prepare() throws HookException {
            SslContextHook.defineHookClass(instrumentation);
            // The application is setting TLS up: the profiles load beside the JDK's own set-up.
            ActiveProfiles.loadSoon();
        }
    }

    @Override
    byte[] rewrite(byte[] classFile, String hookOwner) {
        return insertHookCalls(classFile, hookOwner);
    }

    /** The class with the calls inserted, or null when it has no such init method. */
    static byte[] insertHookCalls(byte[] classFile, String hookOwner) {
        return MethodRewriter.rewriteInstanceMethod(classFile, "init", INIT_DESCRIPTOR, new InitHookCalls(hookOwner));
    }

    /** The nine instructions of the class comment, first in the method. */
    private static final class InitHookCalls implements MethodRewriter.MethodRewrite {
        private final String hookOwner;

        InitHookCalls(String hookOwner) {
            this.hookOwner = hookOwner;
        }

        @Override
        public MethodVisitor wrap(MethodVisitor method) {
            return new MethodVisitor(Opcodes.ASM9, method) {
                @Override
                public void visitCode() {
                    super.visitCode();
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, InitHookClass.CONTEXT_METHOD,
                            InitHookClass.CONTEXT_DESCRIPTOR, false);
                    super.visitInsn(Opcodes.POP);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, InitHookClass.KEY_METHOD,
                            InitHookClass.KEY_DESCRIPTOR, false);
                    super.visitVarInsn(Opcodes.ASTORE, 1);
                    super.visitVarInsn(Opcodes.ALOAD, 2);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, InitHookClass.TRUST_METHOD,
                            InitHookClass.TRUST_DESCRIPTOR, false);
                    super.visitVarInsn(Opcodes.ASTORE, 2);
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    super.visitMaxs(Math.max(maxStack, 1), maxLocals);
                }
            };
        }
    }
}
