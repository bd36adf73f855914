package dev.mtls.agent.hook;

import dev.mtls.sessions.ClientSessionSweeper;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Passes every session that SunJSSE's client session cache hands out for resumption through the
 * agent first. In {@code sun.security.ssl.SSLSessionContextImpl#get(String host, int port)}, the
 * one lookup a client handshake makes before it offers a session (JDK 11 to 25), each
 * {@code return session;} becomes:
 *
 * <pre>{@code
 * return (SSLSessionImpl) MtlsResumptionHook.resumable(session);
 * }</pre>
 *
 * <p>Why at all: a resumed handshake never asks the key manager, and over TLS 1.3 each
 * resumption caches new tickets, copies of the session it resumed. Sweeping the caches on a
 * timer cannot catch a copy made by a connection that was resuming while the sweep ran; an
 * application that keeps calling then presents the old certificate indefinitely (RotationIT saw
 * it for seconds, on one of eight threads). Deciding at the moment of resumption closes that.
 *
 * <p>Two instructions before each {@code ARETURN}: the value on the stack keeps its type, so no
 * frame changes, and nothing else in the class is touched.
 */
final class SessionCacheTransformer extends JdkClassTransformer {
    static final String TARGET = "sun/security/ssl/SSLSessionContextImpl";
    static final String GET_DESCRIPTOR = "(Ljava/lang/String;I)Lsun/security/ssl/SSLSessionImpl;";
    private static final String SESSION = "sun/security/ssl/SSLSessionImpl";

    SessionCacheTransformer(String hookOwner, Consumer<String> onLoadFailure, Preparation preparation) {
        super(TARGET, "get(String, int)", "get(String, int)", hookOwner, onLoadFailure, preparation);
    }

    /** Defines the hook class as the session cache first loads. */
    static final class DefineHook implements Preparation {
        private final Instrumentation instrumentation;
        private final ClientSessionSweeper sweeper;

        DefineHook(Instrumentation instrumentation, ClientSessionSweeper sweeper) {
            this.instrumentation = instrumentation;
            this.sweeper = sweeper;
        }

        @Override
        public void prepare() throws HookException {
            SessionResumptionHook.defineHookClass(instrumentation, sweeper);
        }
    }

    @Override
    byte[] rewrite(byte[] classFile, String hookOwner) {
        return insertHookCalls(classFile, hookOwner);
    }

    /** The class with the calls inserted, or null when it has no such get method. */
    static byte[] insertHookCalls(byte[] classFile, String hookOwner) {
        return MethodRewriter.rewriteInstanceMethod(classFile, "get", GET_DESCRIPTOR, new ResumptionCheckCalls(hookOwner));
    }

    /** Before each {@code ARETURN}: pass the session found through the hook. */
    private static final class ResumptionCheckCalls implements MethodRewriter.MethodRewrite {
        private final String hookOwner;

        ResumptionCheckCalls(String hookOwner) {
            this.hookOwner = hookOwner;
        }

        @Override
        public MethodVisitor wrap(MethodVisitor method) {
            return new MethodVisitor(Opcodes.ASM9, method) {
                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.ARETURN) {
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, ResumptionHookClass.METHOD,
                                ResumptionHookClass.DESCRIPTOR, false);
                        super.visitTypeInsn(Opcodes.CHECKCAST, SESSION);
                    }
                    super.visitInsn(opcode);
                }
            };
        }
    }
}
