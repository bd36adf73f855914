package dev.mtls.agent.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The server-side rewrites against the running JDK's own classes (the build runs on JDK 17 and 25). */
class ServerClassRewritesTest {
    private static final String HOOK = "sun/security/ssl/MtlsServerHook";
    private static final String CHANNEL_HOOK = "sun/nio/ch/MtlsChannelHook";

    @Test
    void findsEveryMemberTheGeneratedHookUsesInThisJdk() {
        assertDoesNotThrow(ServerClassRewrites::checkShapes);
    }

    @Test
    void callsTheHookBeforeEveryReturnOfTheServerHandshakeConstructor() throws Exception {
        byte[] rewritten = ServerClassRewrites.callAtConstructorEnd(classBytes(ServerClassRewrites.HANDSHAKE_CONTEXT),
                HOOK);
        List<String> calls = calls(rewritten, "<init>", ServerClassRewrites.HANDSHAKE_CONTEXT_INIT);
        assertThat(calls).endsWith("ALOAD 0", HOOK + "." + ServerHookClass.STARTED, "RETURN");
    }

    @Test
    void replacesTheRejoinableCheckOfTheTls12ClientHelloConsumer() throws Exception {
        byte[] rewritten = ServerClassRewrites.replaceRejoinable(classBytes(ServerClassRewrites.T12_CONSUMER),
                "consume", ServerClassRewrites.CONSUME, false, HOOK);
        List<String> calls = calls(rewritten, "consume", ServerClassRewrites.CONSUME);
        assertThat(calls).contains(HOOK + "." + ServerHookClass.REJOINABLE)
                .doesNotContain("sun/security/ssl/SSLSessionImpl.isRejoinable");
    }

    @Test
    void replacesTheRejoinableCheckOfTheTls13PreSharedKey() throws Exception {
        byte[] rewritten = ServerClassRewrites.replaceRejoinable(classBytes(ServerClassRewrites.PRE_SHARED_KEY),
                "canRejoin", ServerClassRewrites.CAN_REJOIN, true, HOOK);
        List<String> calls = calls(rewritten, "canRejoin", ServerClassRewrites.CAN_REJOIN);
        assertThat(calls).containsSubsequence("ALOAD 1", HOOK + "." + ServerHookClass.REJOINABLE)
                .doesNotContain("sun/security/ssl/SSLSessionImpl.isRejoinable");
    }

    @Test
    void tellsTheChannelHookFirstThingInRead() throws Exception {
        byte[] rewritten = ServerClassRewrites.callAtReadStart(classBytes(ServerClassRewrites.SOCKET_CHANNEL),
                CHANNEL_HOOK);
        assertThat(calls(rewritten, "read", ServerClassRewrites.READ)).startsWith("ALOAD 0",
                CHANNEL_HOOK + "." + ServerHookClass.READ);
    }

    @Test
    void tellsTheHookOfTheClientsTls12CertificateListBeforeSunJsseChecksIt() throws Exception {
        byte[] rewritten = ServerClassRewrites.tellCertificateTls12(
                classBytes(ServerClassRewrites.T12_CERTIFICATE_CONSUMER), HOOK);
        assertThat(calls(rewritten, "onCertificate", ServerClassRewrites.T12_ON_CERTIFICATE)).startsWith("ALOAD 1",
                "GETFIELD sun/security/ssl/CertificateMessage$T12CertificateMessage.encodedCertChain",
                HOOK + "." + ServerHookClass.NO_CERTIFICATE);
    }

    @Test
    void tellsTheHookOfTheClientsTls13CertificateListBeforeSunJsseChecksIt() throws Exception {
        byte[] rewritten = ServerClassRewrites.tellCertificateTls13(
                classBytes(ServerClassRewrites.T13_CERTIFICATE_CONSUMER), HOOK);
        assertThat(calls(rewritten, "onConsumeCertificate", ServerClassRewrites.T13_ON_CERTIFICATE)).startsWith(
                "ALOAD 1", "GETFIELD sun/security/ssl/CertificateMessage$T13CertificateMessage.certEntries",
                HOOK + "." + ServerHookClass.NO_CERTIFICATE);
    }

    @Test
    void aCertificateConsumerThatDoesNotReadTheExpectedListIsNotRewritten() throws Exception {
        assertNull(ServerClassRewrites.tellCertificateTls13(classBytes(ServerClassRewrites.T12_CERTIFICATE_CONSUMER),
                HOOK), "T12's consumer has no onConsumeCertificate");
        assertNull(ServerClassRewrites.tellCertificateTls12(classBytes(ServerClassRewrites.T13_CERTIFICATE_CONSUMER),
                HOOK), "T13's consumer has no onCertificate");
        assertNull(ServerClassRewrites.tellCertificateTls12(classBytes(ServerClassRewrites.HANDSHAKE_CONTEXT), HOOK),
                "no certificate consumer at all");
    }

    /** TLS 1.2's CertificateRequest, TLS 1.3's certificate_authorities extension of the CertificateRequest. */
    @ParameterizedTest
    @ValueSource(strings = {ServerClassRewrites.T12_REQUEST_PRODUCER, ServerClassRewrites.T13_AUTHORITIES_PRODUCER})
    void asksTheHookForTheCaListOfTheCertificateRequest(String producer) throws Exception {
        byte[] rewritten = ServerClassRewrites.replaceAcceptedIssuers(classBytes(producer), HOOK);
        assertThat(calls(rewritten, "produce", ServerClassRewrites.PRODUCE))
                .containsSubsequence("sun/security/ssl/SSLContextImpl.getX509TrustManager", "ALOAD 1",
                        HOOK + "." + ServerHookClass.ACCEPTED_ISSUERS)
                .doesNotContain("javax/net/ssl/X509TrustManager.getAcceptedIssuers");
    }

    @Test
    void aClassWithoutTheExpectedShapeIsNotRewritten() throws Exception {
        byte[] channel = classBytes(ServerClassRewrites.SOCKET_CHANNEL);
        assertNull(ServerClassRewrites.callAtConstructorEnd(channel, HOOK), "no such constructor");
        assertNull(ServerClassRewrites.replaceRejoinable(channel, "read", ServerClassRewrites.READ, false, HOOK),
                "no isRejoinable call");
        assertNull(ServerClassRewrites.replaceRejoinable(classBytes(ServerClassRewrites.PRE_SHARED_KEY), "canRejoin",
                ServerClassRewrites.CAN_REJOIN, false, HOOK), "static, not an instance method");
        assertNull(ServerClassRewrites.replaceAcceptedIssuers(classBytes(ServerClassRewrites.HANDSHAKE_CONTEXT), HOOK),
                "no produce method");
        assertNull(ServerClassRewrites.replaceAcceptedIssuers(classBytes(
                "sun/security/ssl/CertificateRequest$T13CertificateRequestProducer"), HOOK),
                "produce without a getAcceptedIssuers call after getX509TrustManager");
    }

    @Test
    void transformsOnlyItsTargetLoadedByTheBootLoader() throws Exception {
        ServerHookTransformer transformer = new ServerHookTransformer(ServerHookTransformer.Kind.CHANNEL_READ,
                CHANNEL_HOOK, null, () -> { });
        byte[] channel = classBytes(ServerClassRewrites.SOCKET_CHANNEL);
        assertNull(transformer.transform(null, ServerClassRewrites.HANDSHAKE_CONTEXT, null, null, channel));
        assertNull(transformer.transform(getClass().getClassLoader(), ServerClassRewrites.SOCKET_CHANNEL, null, null,
                channel));
        assertThat(transformer.transform(null, ServerClassRewrites.SOCKET_CHANNEL, null, null, channel)).isNotNull();
        assertThat(transformer.applied()).isTrue();
    }

    @Test
    void theGeneratedHookClassesExposeNothingPublic() {
        for (byte[] hook : List.of(ServerHookClass.bytes(), ServerHookClass.channelBytes())) {
            List<Integer> access = new ArrayList<>();
            new ClassReader(hook).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public void visit(int version, int modifiers, String name, String signature, String superName,
                        String[] interfaces) {
                    access.add(modifiers);
                }

                @Override
                public MethodVisitor visitMethod(int modifiers, String name, String descriptor, String signature,
                        String[] exceptions) {
                    access.add(modifiers);
                    return null;
                }
            }, 0);
            assertThat(access).allMatch(modifiers -> (modifiers & Opcodes.ACC_PUBLIC) == 0);
        }
    }

    private static byte[] classBytes(String internalName) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of(URI.create("jrt:/java.base/" + internalName + ".class")))) {
            return in.readAllBytes();
        }
    }

    /** The method's calls as {@code owner.name}, field reads, loads of locals 0 and 1, and RETURN. */
    private static List<String> calls(byte[] classFile, String methodName, String descriptor) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                    String[] exceptions) {
                if (!name.equals(methodName) || !desc.equals(descriptor)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                        calls.add(owner + "." + method);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String name, String d) {
                        if (opcode == Opcodes.GETFIELD) {
                            calls.add("GETFIELD " + owner + "." + name);
                        }
                    }

                    @Override
                    public void visitVarInsn(int opcode, int index) {
                        if (opcode == Opcodes.ALOAD && index <= 1) {
                            calls.add("ALOAD " + index);
                        }
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.RETURN) {
                            calls.add("RETURN");
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }
}
