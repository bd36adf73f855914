package dev.mtls.agent.hook;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Generates the two hook classes of the server side (docs/LISTENERS.md). Like
 * {@link ResumptionHookClass}: JDK types only, package-private members, defined inside the JDK's
 * own packages so that nothing outside them can call the hooks.
 *
 * <pre>{@code
 * final class sun.security.ssl.MtlsServerHook {
 *     // Object[] {transport, trust manager} -> Integer | String | null, as a handshake starts;
 *     // Object[] {session, transport} -> null: do not resume (the agent tells the two by the session)
 *     static volatile Function server;
 *
 *     // inserted at the end of ServerHandshakeContext(SSLContextImpl, TransportContext)
 *     static void started(ServerHandshakeContext shc) throws SSLException {
 *         Object answer = decide(shc);
 *         if (answer instanceof String) {
 *             throw shc.conContext.fatal(Alert.HANDSHAKE_FAILURE, (String) answer);  // fail closed
 *         }
 *         if (answer instanceof Integer) {
 *             int code = ((Integer) answer).intValue();
 *             if (code == 2) {
 *                 shc.sslConfig.clientAuthType = ClientAuthType.CLIENT_AUTH_REQUIRED;
 *             } else if (code == 1 && shc.sslConfig.clientAuthType == ClientAuthType.CLIENT_AUTH_NONE) {
 *                 shc.sslConfig.clientAuthType = ClientAuthType.CLIENT_AUTH_REQUESTED;
 *             }
 *         }
 *     }
 *     static Object decide(ServerHandshakeContext shc) {
 *         try {
 *             Function f = server;
 *             return f == null ? null
 *                     : f.apply(new Object[] {shc.conContext.transport, shc.sslContext.getX509TrustManager()});
 *         } catch (Throwable t) {
 *             return null;
 *         }
 *     }
 *     // replaces session.isRejoinable() where a server decides to resume
 *     static boolean rejoinable(SSLSessionImpl session, Object handshakeContext) {
 *         if (!session.isRejoinable()) {
 *             return false;
 *         }
 *         try {
 *             Function f = server;
 *             return f == null
 *                     || f.apply(new Object[] {session, ((HandshakeContext) handshakeContext).conContext.transport}) != null;
 *         } catch (Throwable t) {
 *             return true;
 *         }
 *     }
 *     // inserted at the start of SunJSSE's server-side consumers of the client's Certificate
 *     // message (TLS 1.2 and 1.3), with the message's certificate list; SunJSSE's own check follows
 *     static void noCertificate(ServerHandshakeContext shc, List chain) {
 *         try {
 *             if (chain != null && !chain.isEmpty()) {
 *                 return;
 *             }
 *             Function f = server;
 *             if (f != null) {
 *                 f.apply(new Object[] {shc.conContext.transport,
 *                         Boolean.valueOf(shc.sslConfig.clientAuthType == ClientAuthType.CLIENT_AUTH_REQUIRED)});
 *             }
 *         } catch (Throwable t) {
 *             // SunJSSE decides as without the agent
 *         }
 *     }
 *     // replaces sslContext.getX509TrustManager().getAcceptedIssuers() where SunJSSE builds the
 *     // CA list of a certificate request (TLS 1.2 message, TLS 1.3 certificate_authorities)
 *     static X509Certificate[] acceptedIssuers(X509TrustManager trust, Object handshakeContext) {
 *         try {
 *             Function f = server;
 *             if (f != null) {
 *                 Object answer = f.apply(new Object[] {trust, ((HandshakeContext) handshakeContext).conContext.transport});
 *                 if (answer instanceof X509Certificate[]) {
 *                     return (X509Certificate[]) answer;
 *                 }
 *             }
 *         } catch (Throwable t) {
 *             // the list SunJSSE asks for itself
 *         }
 *         return trust.getAcceptedIssuers();
 *     }
 * }
 *
 * final class sun.nio.ch.MtlsChannelHook {
 *     static volatile Function reading;   // keeps the channel for the engine handshake that follows
 *     static Object read(Object channel)  // the pass-through of InitHookClass
 * }
 * }</pre>
 *
 * <p>The handshake's own {@code sslConfig} is a clone made by {@code HandshakeContext}'s
 * constructor: writing it changes this handshake only, never what the application set on the
 * socket or engine ({@code getNeedClientAuth()} still answers as it did).
 */
final class ServerHookClass {
    static final String NAME = "sun.security.ssl.MtlsServerHook";
    static final String FUNCTION_FIELD = "server";
    static final String STARTED = "started";
    static final String STARTED_DESCRIPTOR = "(Lsun/security/ssl/ServerHandshakeContext;)V";
    static final String REJOINABLE = "rejoinable";
    static final String REJOINABLE_DESCRIPTOR = "(Lsun/security/ssl/SSLSessionImpl;Ljava/lang/Object;)Z";
    static final String NO_CERTIFICATE = "noCertificate";
    static final String NO_CERTIFICATE_DESCRIPTOR = "(Lsun/security/ssl/ServerHandshakeContext;Ljava/util/List;)V";

    static final String ACCEPTED_ISSUERS = "acceptedIssuers";
    static final String ISSUERS_RESULT = "()[Ljava/security/cert/X509Certificate;";
    static final String ACCEPTED_ISSUERS_DESCRIPTOR =
            "(Ljavax/net/ssl/X509TrustManager;Ljava/lang/Object;)[Ljava/security/cert/X509Certificate;";

    static final String CHANNEL_NAME = "sun.nio.ch.MtlsChannelHook";
    static final String READING = "reading";
    static final String READ = "read";
    static final String READ_DESCRIPTOR = "(Ljava/lang/Object;)Ljava/lang/Object;";

    private static final String SSL = "sun/security/ssl/";
    private static final String FUNCTION = "L" + InitHookClass.FUNCTION + ";";
    private static final String CLIENT_AUTH = "L" + SSL + "ClientAuthType;";

    private ServerHookClass() {
    }

    static byte[] bytes() {
        String owner = NAME.replace('.', '/');
        ClassWriter writer = writer();
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, owner, null,
                "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, FUNCTION_FIELD, FUNCTION, null, null).visitEnd();
        started(writer, owner);
        decide(writer, owner);
        rejoinable(writer, owner);
        noCertificate(writer, owner);
        acceptedIssuers(writer, owner);
        writer.visitEnd();
        return writer.toByteArray();
    }

    static byte[] channelBytes() {
        String owner = CHANNEL_NAME.replace('.', '/');
        ClassWriter writer = writer();
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, owner, null,
                "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, READING, FUNCTION, null, null).visitEnd();
        InitHookClass.passThroughMethod(writer, owner, READ, READ_DESCRIPTOR, READING, "java/lang/Object");
        writer.visitEnd();
        return writer.toByteArray();
    }

    /** Frames are computed; every join merges equal types, so no class is ever loaded to compare. */
    private static ClassWriter writer() {
        return new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String first, String second) {
                return "java/lang/Object";
            }
        };
    }

    private static void started(ClassWriter writer, String owner) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, STARTED, STARTED_DESCRIPTOR, null,
                new String[] {"javax/net/ssl/SSLException"});
        m.visitCode();
        Label notString = new Label();
        Label done = new Label();
        Label notRequired = new Label();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, owner, "decide", "(L" + SSL + "ServerHandshakeContext;)Ljava/lang/Object;",
                false);
        m.visitVarInsn(Opcodes.ASTORE, 1);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitTypeInsn(Opcodes.INSTANCEOF, "java/lang/String");
        m.visitJumpInsn(Opcodes.IFEQ, notString);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "conContext", "L" + SSL + "TransportContext;");
        m.visitFieldInsn(Opcodes.GETSTATIC, SSL + "Alert", "HANDSHAKE_FAILURE", "L" + SSL + "Alert;");
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SSL + "TransportContext", "fatal",
                "(L" + SSL + "Alert;Ljava/lang/String;)Ljavax/net/ssl/SSLException;", false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(notString);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitTypeInsn(Opcodes.INSTANCEOF, "java/lang/Integer");
        m.visitJumpInsn(Opcodes.IFEQ, done);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/Integer");
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Integer", "intValue", "()I", false);
        m.visitVarInsn(Opcodes.ISTORE, 2);
        m.visitVarInsn(Opcodes.ILOAD, 2);
        m.visitInsn(Opcodes.ICONST_2);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, notRequired);
        setClientAuth(m, "CLIENT_AUTH_REQUIRED");
        m.visitJumpInsn(Opcodes.GOTO, done);
        m.visitLabel(notRequired);
        m.visitVarInsn(Opcodes.ILOAD, 2);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitJumpInsn(Opcodes.IF_ICMPNE, done);
        // Optional never lowers what the application asked for itself.
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "sslConfig", "L" + SSL + "SSLConfiguration;");
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "SSLConfiguration", "clientAuthType", CLIENT_AUTH);
        m.visitFieldInsn(Opcodes.GETSTATIC, SSL + "ClientAuthType", "CLIENT_AUTH_NONE", CLIENT_AUTH);
        m.visitJumpInsn(Opcodes.IF_ACMPNE, done);
        setClientAuth(m, "CLIENT_AUTH_REQUESTED");
        m.visitLabel(done);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    private static void setClientAuth(MethodVisitor m, String constant) {
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "sslConfig", "L" + SSL + "SSLConfiguration;");
        m.visitFieldInsn(Opcodes.GETSTATIC, SSL + "ClientAuthType", constant, CLIENT_AUTH);
        m.visitFieldInsn(Opcodes.PUTFIELD, SSL + "SSLConfiguration", "clientAuthType", CLIENT_AUTH);
    }

    private static void decide(ClassWriter writer, String owner) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE, "decide",
                "(L" + SSL + "ServerHandshakeContext;)Ljava/lang/Object;", null, null);
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label apply = new Label();
        m.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        m.visitLabel(start);
        functionOrReturn(m, owner, apply, Opcodes.ACONST_NULL, Opcodes.ARETURN);
        pairElement(m, 0);
        transport(m, 0, false);
        m.visitInsn(Opcodes.AASTORE);
        pairElement(m, 1);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "sslContext", "L" + SSL + "SSLContextImpl;");
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SSL + "SSLContextImpl", "getX509TrustManager",
                "()Ljavax/net/ssl/X509TrustManager;", false);
        applyToPair(m);
        m.visitInsn(Opcodes.ARETURN);
        m.visitLabel(end);
        m.visitLabel(handler);
        m.visitInsn(Opcodes.POP);
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /**
     * The function on the stack, jumping to {@code apply}; without one, returns {@code fallback}
     * ({@code NOP} with {@code RETURN} for a void method).
     */
    private static void functionOrReturn(MethodVisitor m, String owner, Label apply, int fallback, int returnOpcode) {
        m.visitFieldInsn(Opcodes.GETSTATIC, owner, FUNCTION_FIELD, FUNCTION);
        m.visitInsn(Opcodes.DUP);
        m.visitJumpInsn(Opcodes.IFNONNULL, apply);
        m.visitInsn(Opcodes.POP);
        m.visitInsn(fallback);
        m.visitInsn(returnOpcode);
        m.visitLabel(apply);
    }

    /**
     * With the function on the stack: a new {@code Object[2]} for element 0, or the array kept on
     * the stack (duplicated) and the index for element 1; the caller pushes the value and stores it.
     */
    private static void pairElement(MethodVisitor m, int index) {
        if (index == 0) {
            m.visitInsn(Opcodes.ICONST_2);
            m.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        }
        m.visitInsn(Opcodes.DUP);
        m.visitInsn(index == 0 ? Opcodes.ICONST_0 : Opcodes.ICONST_1);
    }

    /** Stores the second element and calls {@code function.apply(pair)}. */
    private static void applyToPair(MethodVisitor m) {
        m.visitInsn(Opcodes.AASTORE);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, InitHookClass.FUNCTION, "apply",
                "(Ljava/lang/Object;)Ljava/lang/Object;", true);
    }

    /**
     * With the function on the stack: {@code function.apply(new Object[] {local0,
     * ((HandshakeContext) local1).conContext.transport})}.
     */
    private static void applyToFirstAndTransport(MethodVisitor m) {
        pairElement(m, 0);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitInsn(Opcodes.AASTORE);
        pairElement(m, 1);
        transport(m, 1, true);
        applyToPair(m);
    }

    /** Pushes {@code ((HandshakeContext) local).conContext.transport}: the SSLSocket or SSLEngine. */
    private static void transport(MethodVisitor m, int local, boolean cast) {
        m.visitVarInsn(Opcodes.ALOAD, local);
        if (cast) {
            m.visitTypeInsn(Opcodes.CHECKCAST, SSL + "HandshakeContext");
        }
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "conContext", "L" + SSL + "TransportContext;");
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "TransportContext", "transport", "L" + SSL + "SSLTransport;");
    }

    private static void rejoinable(ClassWriter writer, String owner) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, REJOINABLE, REJOINABLE_DESCRIPTOR, null, null);
        m.visitCode();
        Label rejoinable = new Label();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label apply = new Label();
        Label refused = new Label();
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SSL + "SSLSessionImpl", "isRejoinable", "()Z", false);
        m.visitJumpInsn(Opcodes.IFNE, rejoinable);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(rejoinable);
        m.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        m.visitLabel(start);
        functionOrReturn(m, owner, apply, Opcodes.ICONST_1, Opcodes.IRETURN);
        applyToFirstAndTransport(m);
        m.visitJumpInsn(Opcodes.IFNULL, refused);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(refused);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitInsn(Opcodes.IRETURN);
        m.visitLabel(end);
        m.visitLabel(handler);
        m.visitInsn(Opcodes.POP);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    private static void noCertificate(ClassWriter writer, String owner) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, NO_CERTIFICATE, NO_CERTIFICATE_DESCRIPTOR, null, null);
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label empty = new Label();
        Label apply = new Label();
        Label notRequired = new Label();
        Label stored = new Label();
        m.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        m.visitLabel(start);
        // A certificate was sent: the trust manager records what follows; nothing to tell here.
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitJumpInsn(Opcodes.IFNULL, empty);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/List", "isEmpty", "()Z", true);
        m.visitJumpInsn(Opcodes.IFNE, empty);
        m.visitInsn(Opcodes.RETURN);
        m.visitLabel(empty);
        functionOrReturn(m, owner, apply, Opcodes.NOP, Opcodes.RETURN);
        pairElement(m, 0);
        transport(m, 0, false);
        m.visitInsn(Opcodes.AASTORE);
        pairElement(m, 1);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "HandshakeContext", "sslConfig", "L" + SSL + "SSLConfiguration;");
        m.visitFieldInsn(Opcodes.GETFIELD, SSL + "SSLConfiguration", "clientAuthType", CLIENT_AUTH);
        m.visitFieldInsn(Opcodes.GETSTATIC, SSL + "ClientAuthType", "CLIENT_AUTH_REQUIRED", CLIENT_AUTH);
        m.visitJumpInsn(Opcodes.IF_ACMPNE, notRequired);
        m.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
        m.visitJumpInsn(Opcodes.GOTO, stored);
        m.visitLabel(notRequired);
        m.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "FALSE", "Ljava/lang/Boolean;");
        m.visitLabel(stored);
        applyToPair(m);
        m.visitInsn(Opcodes.POP);
        m.visitInsn(Opcodes.RETURN);
        m.visitLabel(end);
        m.visitLabel(handler);
        m.visitInsn(Opcodes.POP);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    private static void acceptedIssuers(ClassWriter writer, String owner) {
        MethodVisitor m = writer.visitMethod(Opcodes.ACC_STATIC, ACCEPTED_ISSUERS, ACCEPTED_ISSUERS_DESCRIPTOR, null,
                null);
        m.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label apply = new Label();
        Label asJdk = new Label();
        String issuers = "[Ljava/security/cert/X509Certificate;";
        m.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        m.visitLabel(start);
        m.visitFieldInsn(Opcodes.GETSTATIC, owner, FUNCTION_FIELD, FUNCTION);
        m.visitInsn(Opcodes.DUP);
        m.visitJumpInsn(Opcodes.IFNONNULL, apply);
        m.visitInsn(Opcodes.POP);
        m.visitJumpInsn(Opcodes.GOTO, asJdk);
        m.visitLabel(apply);
        applyToFirstAndTransport(m);
        m.visitInsn(Opcodes.DUP);
        m.visitTypeInsn(Opcodes.INSTANCEOF, issuers);
        Label notIssuers = new Label();
        m.visitJumpInsn(Opcodes.IFEQ, notIssuers);
        m.visitTypeInsn(Opcodes.CHECKCAST, issuers);
        m.visitInsn(Opcodes.ARETURN);
        m.visitLabel(notIssuers);
        m.visitInsn(Opcodes.POP);
        m.visitLabel(end);
        m.visitJumpInsn(Opcodes.GOTO, asJdk);
        m.visitLabel(handler);
        m.visitInsn(Opcodes.POP);
        // Without the agent's answer: the list SunJSSE asks for itself.
        m.visitLabel(asJdk);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "javax/net/ssl/X509TrustManager", "getAcceptedIssuers",
                ISSUERS_RESULT, true);
        m.visitInsn(Opcodes.ARETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }
}
