package dev.mtls.agent.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.junit.jupiter.api.Test;

class SslContextInitTransformerTest {
    private static final String HOOK = "javax/net/ssl/MtlsInitHook";

    @Test
    void insertsTheHookCallsAtTheStartOfInit() throws Exception {
        byte[] transformed = SslContextInitTransformer.insertHookCalls(sslContextBytes(), HOOK);
        assertNotNull(transformed);
        List<String> start = firstInstructions(transformed, "init", SslContextInitTransformer.INIT_DESCRIPTOR, 9);
        assertEquals(List.of(
                "ALOAD 0",
                "INVOKESTATIC " + HOOK + ".context" + InitHookClass.CONTEXT_DESCRIPTOR,
                "INSN " + Opcodes.POP,
                "ALOAD 1",
                "INVOKESTATIC " + HOOK + ".keyManagers" + InitHookClass.KEY_DESCRIPTOR,
                "ASTORE 1",
                "ALOAD 2",
                "INVOKESTATIC " + HOOK + ".trustManagers" + InitHookClass.TRUST_DESCRIPTOR,
                "ASTORE 2"), start);
    }

    @Test
    void leavesEveryOtherMethodAsItWas() throws Exception {
        byte[] original = sslContextBytes();
        byte[] transformed = SslContextInitTransformer.insertHookCalls(original, HOOK);
        List<String> before = firstInstructions(original, "getInstance", "(Ljava/lang/String;)Ljavax/net/ssl/SSLContext;", 50);
        List<String> after = firstInstructions(transformed, "getInstance", "(Ljava/lang/String;)Ljavax/net/ssl/SSLContext;", 50);
        assertEquals(before, after);
    }

    @Test
    void ignoresEveryOtherClass() throws Exception {
        SslContextInitTransformer transformer = new SslContextInitTransformer(HOOK, null, () -> { });
        assertNull(transformer.transform(null, "javax/net/ssl/SSLSocketFactory", null, null, sslContextBytes()));
        assertNull(transformer.transform(getClass().getClassLoader(), SslContextInitTransformer.TARGET, null, null,
                sslContextBytes()));
        assertTrue(!transformer.applied() && transformer.failure() == null);
    }

    @Test
    void recordsWhyItCouldNotTransform() {
        SslContextInitTransformer transformer = new SslContextInitTransformer(HOOK, null, () -> { });
        byte[] garbage = {1, 2, 3};
        assertNull(transformer.transform(null, SslContextInitTransformer.TARGET, null, null, garbage));
        assertNotNull(transformer.failure());
    }

    @Test
    void saysWhyWhenSslContextCannotBeInstrumentedAsItLoads() {
        List<String> told = new ArrayList<>();
        SslContextInitTransformer transformer = new SslContextInitTransformer(HOOK, told::add, () -> { });
        assertNull(transformer.transform(null, SslContextInitTransformer.TARGET, null, null, new byte[] {1, 2, 3}));
        assertEquals(1, told.size());
        assertTrue(told.get(0).startsWith("cannot instrument javax.net.ssl.SSLContext#init: "), told.get(0));
    }

    @Test
    void transformsTheRunningJdksSslContext() throws Exception {
        SslContextInitTransformer transformer = new SslContextInitTransformer(HOOK, null, () -> { });
        byte[] original = sslContextBytes();
        byte[] result = transformer.transform(null, SslContextInitTransformer.TARGET, null, null, original);
        assertNotNull(result);
        assertTrue(transformer.applied());
        assertArrayEquals(SslContextInitTransformer.insertHookCalls(original, HOOK), result);
    }

    private static byte[] sslContextBytes() throws Exception {
        Path path = Path.of(URI.create("jrt:/java.base/javax/net/ssl/SSLContext.class"));
        try (InputStream in = Files.newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    private static List<String> firstInstructions(byte[] classFile, String methodName, String descriptor, int count) {
        List<String> instructions = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                    String[] exceptions) {
                if (!name.equals(methodName) || !desc.equals(descriptor)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        add((opcode == Opcodes.ALOAD ? "ALOAD " : opcode == Opcodes.ASTORE ? "ASTORE " : opcode + " ")
                                + var);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                        add((opcode == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : "INVOKE" + opcode + " ") + owner + "."
                                + name + desc);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
                        add("FIELD " + opcode + " " + owner + "." + name);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        add("INSN " + opcode);
                    }

                    private void add(String instruction) {
                        if (instructions.size() < count) {
                            instructions.add(instruction);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return instructions;
    }
}
