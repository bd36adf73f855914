package dev.mtls.agent.hook;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The ASM part of the server-side hooks (docs/LISTENERS.md), apart from the transformers for the
 * reason {@link MethodRewriter} gives. Each rewrite returns null unless it found exactly the shape it
 * expects, and {@link #checkShapes()} verifies, before anything is rewritten, every JDK member the
 * generated {@code MtlsServerHook} reads or writes: a JDK whose SunJSSE differs gets no server hook
 * and one log line, never a hook that fails at the first handshake.
 */
final class ServerClassRewrites {
    static final String HANDSHAKE_CONTEXT = "sun/security/ssl/ServerHandshakeContext";
    static final String HANDSHAKE_CONTEXT_INIT = "(Lsun/security/ssl/SSLContextImpl;Lsun/security/ssl/TransportContext;)V";
    static final String T12_CONSUMER = "sun/security/ssl/ClientHello$T12ClientHelloConsumer";
    static final String CONSUME = "(Lsun/security/ssl/ConnectionContext;Lsun/security/ssl/SSLHandshake$HandshakeMessage;)V";
    static final String PRE_SHARED_KEY = "sun/security/ssl/PreSharedKeyExtension";
    static final String CAN_REJOIN = "(Lsun/security/ssl/ClientHello$ClientHelloMessage;"
            + "Lsun/security/ssl/ServerHandshakeContext;Lsun/security/ssl/SSLSessionImpl;)Z";
    static final String T12_CERTIFICATE_CONSUMER = "sun/security/ssl/CertificateMessage$T12CertificateConsumer";
    static final String T12_ON_CERTIFICATE = "(Lsun/security/ssl/ServerHandshakeContext;"
            + "Lsun/security/ssl/CertificateMessage$T12CertificateMessage;)V";
    static final String T13_CERTIFICATE_CONSUMER = "sun/security/ssl/CertificateMessage$T13CertificateConsumer";
    static final String T13_ON_CERTIFICATE = "(Lsun/security/ssl/ServerHandshakeContext;"
            + "Lsun/security/ssl/CertificateMessage$T13CertificateMessage;)V";
    static final String T12_REQUEST_PRODUCER = "sun/security/ssl/CertificateRequest$T12CertificateRequestProducer";
    static final String T13_AUTHORITIES_PRODUCER =
            "sun/security/ssl/CertificateAuthoritiesExtension$CRCertificateAuthoritiesProducer";
    static final String PRODUCE = "(Lsun/security/ssl/ConnectionContext;Lsun/security/ssl/SSLHandshake$HandshakeMessage;)[B";
    static final String SOCKET_CHANNEL = "sun/nio/ch/SocketChannelImpl";
    static final String READ = "(Ljava/nio/ByteBuffer;)I";

    private static final String SSL = "sun/security/ssl/";
    /** Class, then the members it must have: {@code f name descriptor} or {@code m name descriptor}. */
    private static final String[][] SHAPES = {
        {SSL + "HandshakeContext", "f conContext L" + SSL + "TransportContext;",
            "f sslConfig L" + SSL + "SSLConfiguration;", "f sslContext L" + SSL + "SSLContextImpl;"},
        {SSL + "TransportContext", "f transport L" + SSL + "SSLTransport;",
            "m fatal (L" + SSL + "Alert;Ljava/lang/String;)Ljavax/net/ssl/SSLException;"},
        {SSL + "SSLConfiguration", "f clientAuthType L" + SSL + "ClientAuthType;"},
        {SSL + "ClientAuthType", "f CLIENT_AUTH_NONE L" + SSL + "ClientAuthType;",
            "f CLIENT_AUTH_REQUESTED L" + SSL + "ClientAuthType;", "f CLIENT_AUTH_REQUIRED L" + SSL + "ClientAuthType;"},
        {SSL + "SSLContextImpl", "m getX509TrustManager ()Ljavax/net/ssl/X509TrustManager;"},
        {SSL + "Alert", "f HANDSHAKE_FAILURE L" + SSL + "Alert;"},
        {SSL + "SSLSessionImpl", "m isRejoinable ()Z"},
    };

    private ServerClassRewrites() {
    }

    /**
     * Reads the class files of java.base (class files are readable from any module) and checks
     * that every member the hook uses is there with the type it expects.
     *
     * @throws HookException naming the first member missing
     */
    static void checkShapes() throws HookException {
        for (String[] shape : SHAPES) {
            Set<String> members = members(shape[0]);
            for (int i = 1; i < shape.length; i++) {
                if (!members.contains(shape[i])) {
                    throw new HookException("this JDK's " + shape[0].replace('/', '.') + " has no "
                            + (shape[i].startsWith("f") ? "field " : "method ") + shape[i].substring(2)
                            + " as the server handshake hook expects");
                }
            }
        }
    }

    private static Set<String> members(String internalName) throws HookException {
        byte[] bytes;
        try (InputStream in = Object.class.getModule().getResourceAsStream(internalName + ".class")) {
            if (in == null) {
                throw new HookException("this JDK has no class " + internalName.replace('/', '.'));
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new HookException("cannot read " + internalName.replace('/', '.') + ": " + e, e);
        }
        Set<String> members = new HashSet<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                members.add("f " + name + " " + descriptor);
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                members.add("m " + name + " " + descriptor);
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return members;
    }

    /** Before every {@code RETURN} of the constructor: {@code MtlsServerHook.started(this)}. */
    static byte[] callAtConstructorEnd(byte[] classFile, String hookOwner) {
        return rewrite(classFile, "<init>", HANDSHAKE_CONTEXT_INIT, false, hookOwner, Opcodes.RETURN);
    }

    /**
     * Each {@code session.isRejoinable()} becomes {@code MtlsServerHook.rejoinable(session, local1)},
     * local 1 being the handshake context in both methods: {@code consume(ConnectionContext, ...)}
     * of T12ClientHelloConsumer and the static {@code canRejoin(ClientHelloMessage,
     * ServerHandshakeContext, SSLSessionImpl)} of PreSharedKeyExtension.
     */
    static byte[] replaceRejoinable(byte[] classFile, String name, String descriptor, boolean isStatic,
            String hookOwner) {
        return rewrite(classFile, name, descriptor, isStatic, hookOwner, Opcodes.INVOKEVIRTUAL);
    }

    /** At the start of {@code read(ByteBuffer)}: {@code MtlsChannelHook.read(this)}. */
    static byte[] callAtReadStart(byte[] classFile, String hookOwner) {
        return rewrite(classFile, "read", READ, false, hookOwner, -1);
    }

    /**
     * At the start of the server-side {@code onCertificate(ServerHandshakeContext,
     * T12CertificateMessage)} of T12CertificateConsumer:
     * {@code MtlsServerHook.noCertificate(shc, message.encodedCertChain)}. SunJSSE's own check of
     * an empty chain (and its alert) follows unchanged.
     */
    static byte[] tellCertificateTls12(byte[] classFile, String hookOwner) {
        return tellCertificate(classFile, "onCertificate", T12_ON_CERTIFICATE,
                SSL + "CertificateMessage$T12CertificateMessage", "encodedCertChain", hookOwner);
    }

    /** The same at the start of T13CertificateConsumer's server-side {@code onConsumeCertificate}, with {@code certEntries}. */
    static byte[] tellCertificateTls13(byte[] classFile, String hookOwner) {
        return tellCertificate(classFile, "onConsumeCertificate", T13_ON_CERTIFICATE,
                SSL + "CertificateMessage$T13CertificateMessage", "certEntries", hookOwner);
    }

    /**
     * In {@code produce(ConnectionContext, HandshakeMessage)} of the producers of the TLS 1.2
     * CertificateRequest and of the TLS 1.3 CertificateRequest's certificate_authorities extension,
     * each {@code sslContext.getX509TrustManager().getAcceptedIssuers()} becomes
     * {@code MtlsServerHook.acceptedIssuers(trustManager, local1)}, local 1 being the handshake
     * context (the method casts it to ServerHandshakeContext and never reassigns it). Only a call
     * right after {@code getX509TrustManager()} is replaced: the list of the handshake's own context.
     */
    static byte[] replaceAcceptedIssuers(byte[] classFile, String hookOwner) {
        Insertion insertion = new Insertion(hookOwner, Opcodes.INVOKEINTERFACE);
        byte[] rewritten = MethodRewriter.rewriteMethod(classFile, "produce", PRODUCE, false, insertion);
        return insertion.inserted > 0 ? rewritten : null;
    }

    /**
     * Null unless the method itself reads {@code messageClass.field} as a List: that proves the
     * field is there with that type, and readable from this class (T13's is private, read as a
     * nestmate), before the inserted code reads it too.
     */
    private static byte[] tellCertificate(byte[] classFile, String name, String descriptor, String messageClass,
            String field, String hookOwner) {
        CertificateInsertion insertion = new CertificateInsertion(hookOwner, messageClass, field);
        byte[] rewritten = MethodRewriter.rewriteMethod(classFile, name, descriptor, false, insertion);
        return insertion.fieldRead ? rewritten : null;
    }

    /**
     * @param at RETURN, INVOKEVIRTUAL (isRejoinable), INVOKEINTERFACE (getAcceptedIssuers), or -1
     *        for the method's start
     */
    private static byte[] rewrite(byte[] classFile, String name, String descriptor, boolean isStatic,
            String hookOwner, int at) {
        Insertion insertion = new Insertion(hookOwner, at);
        byte[] rewritten = MethodRewriter.rewriteMethod(classFile, name, descriptor, isStatic, insertion);
        // The method alone is not enough: the instruction the hook goes beside must be there too.
        return insertion.inserted > 0 ? rewritten : null;
    }

    private static final class Insertion implements MethodRewriter.MethodRewrite {
        private final String hookOwner;
        private final int at;
        int inserted;

        Insertion(String hookOwner, int at) {
            this.hookOwner = hookOwner;
            this.at = at;
        }

        @Override
        public MethodVisitor wrap(MethodVisitor method) {
            return new InsertingVisitor(method, this);
        }
    }

    private static final class InsertingVisitor extends MethodVisitor {
        private final String hookOwner;
        private final int at;
        private final Insertion counts;
        /** Whether the instruction just visited was {@code SSLContextImpl.getX509TrustManager()}. */
        private boolean afterTrustManager;

        InsertingVisitor(MethodVisitor method, Insertion insertion) {
            super(Opcodes.ASM9, method);
            this.hookOwner = insertion.hookOwner;
            this.at = insertion.at;
            this.counts = insertion;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (at == -1) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, ServerHookClass.READ,
                        ServerHookClass.READ_DESCRIPTOR, false);
                super.visitInsn(Opcodes.POP);
                counts.inserted++;
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (at == Opcodes.RETURN && opcode == Opcodes.RETURN) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, ServerHookClass.STARTED,
                        ServerHookClass.STARTED_DESCRIPTOR, false);
                counts.inserted++;
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            boolean trustManagerBefore = afterTrustManager;
            afterTrustManager = opcode == Opcodes.INVOKEVIRTUAL && (SSL + "SSLContextImpl").equals(owner)
                    && "getX509TrustManager".equals(name) && "()Ljavax/net/ssl/X509TrustManager;".equals(descriptor);
            if (at == Opcodes.INVOKEINTERFACE && trustManagerBefore && opcode == Opcodes.INVOKEINTERFACE
                    && "javax/net/ssl/X509TrustManager".equals(owner) && "getAcceptedIssuers".equals(name)
                    && ServerHookClass.ISSUERS_RESULT.equals(descriptor)) {
                super.visitVarInsn(Opcodes.ALOAD, 1);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, ServerHookClass.ACCEPTED_ISSUERS,
                        ServerHookClass.ACCEPTED_ISSUERS_DESCRIPTOR, false);
                counts.inserted++;
                return;
            }
            if (at == Opcodes.INVOKEVIRTUAL && opcode == Opcodes.INVOKEVIRTUAL && (SSL + "SSLSessionImpl").equals(owner)
                    && "isRejoinable".equals(name) && "()Z".equals(descriptor)) {
                super.visitVarInsn(Opcodes.ALOAD, 1);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, ServerHookClass.REJOINABLE,
                        ServerHookClass.REJOINABLE_DESCRIPTOR, false);
                counts.inserted++;
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // One more value on the stack at the insertion point than the method ever had.
            super.visitMaxs(maxStack + 1, maxLocals);
        }
    }

    private static final class CertificateInsertion implements MethodRewriter.MethodRewrite {
        private final String hookOwner;
        private final String messageClass;
        private final String field;
        boolean fieldRead;

        CertificateInsertion(String hookOwner, String messageClass, String field) {
            this.hookOwner = hookOwner;
            this.messageClass = messageClass;
            this.field = field;
        }

        @Override
        public MethodVisitor wrap(MethodVisitor method) {
            return new CertificateVisitor(method, this);
        }
    }

    private static final class CertificateVisitor extends MethodVisitor {
        private final CertificateInsertion insertion;

        CertificateVisitor(MethodVisitor method, CertificateInsertion insertion) {
            super(Opcodes.ASM9, method);
            this.insertion = insertion;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitVarInsn(Opcodes.ALOAD, 2);
            super.visitFieldInsn(Opcodes.GETFIELD, insertion.messageClass, insertion.field, "Ljava/util/List;");
            super.visitMethodInsn(Opcodes.INVOKESTATIC, insertion.hookOwner, ServerHookClass.NO_CERTIFICATE,
                    ServerHookClass.NO_CERTIFICATE_DESCRIPTOR, false);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            if (opcode == Opcodes.GETFIELD && insertion.messageClass.equals(owner) && insertion.field.equals(name)
                    && "Ljava/util/List;".equals(descriptor)) {
                insertion.fieldRead = true;
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // The inserted call has two values on the stack, at the method's start where it had none.
            super.visitMaxs(Math.max(maxStack, 2), maxLocals);
        }
    }
}
