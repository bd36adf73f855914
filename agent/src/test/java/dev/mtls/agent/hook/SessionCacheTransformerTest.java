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

class SessionCacheTransformerTest {
    private static final String HOOK = "sun/security/ssl/MtlsResumptionHook";
    private static final String GET = "get";

    @Test
    void passesEverySessionTheLookupReturnsThroughTheHook() throws Exception {
        byte[] transformed = SessionCacheTransformer.insertHookCalls(cacheBytes(), HOOK);
        assertNotNull(transformed);

        List<String> instructions = instructions(transformed, GET, SessionCacheTransformer.GET_DESCRIPTOR);
        int returns = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).equals("RETURN")) {
                returns++;
                assertEquals(List.of("HOOK", "CHECKCAST sun/security/ssl/SSLSessionImpl"), instructions.subList(i - 2, i),
                        instructions.toString());
            }
        }
        assertTrue(returns > 0);
        assertEquals(returns, instructions.stream().filter("HOOK"::equals).count());
    }

    @Test
    void leavesEveryOtherMethodAsItWas() throws Exception {
        byte[] original = cacheBytes();
        byte[] transformed = SessionCacheTransformer.insertHookCalls(original, HOOK);
        // The server's lookup by session id and the cache's bookkeeping stay as they are.
        assertEquals(instructions(original, GET, "([B)Lsun/security/ssl/SSLSessionImpl;"),
                instructions(transformed, GET, "([B)Lsun/security/ssl/SSLSessionImpl;"));
        assertEquals(instructions(original, "put", "(Lsun/security/ssl/SSLSessionImpl;)V"),
                instructions(transformed, "put", "(Lsun/security/ssl/SSLSessionImpl;)V"));
    }

    @Test
    void transformsTheRunningJdksSessionCacheAndNothingElse() throws Exception {
        SessionCacheTransformer transformer = new SessionCacheTransformer(HOOK, null, () -> { });
        byte[] original = cacheBytes();
        assertNull(transformer.transform(null, "sun/security/ssl/SSLSessionImpl", null, null, original));
        assertNull(transformer.transform(getClass().getClassLoader(), SessionCacheTransformer.TARGET, null, null,
                original));
        assertTrue(!transformer.applied() && transformer.failure() == null);

        byte[] result = transformer.transform(null, SessionCacheTransformer.TARGET, null, null, original);

        assertTrue(transformer.applied());
        assertArrayEquals(SessionCacheTransformer.insertHookCalls(original, HOOK), result);
    }

    @Test
    void recordsWhyItCouldNotTransform() throws Exception {
        SessionCacheTransformer garbage = new SessionCacheTransformer(HOOK, null, () -> { });
        assertNull(garbage.transform(null, SessionCacheTransformer.TARGET, null, null, new byte[] {1, 2, 3}));
        assertNotNull(garbage.failure());

        // Another JDK's layout, without get(String, int): nothing changes, and it says so.
        SessionCacheTransformer elsewhere = new SessionCacheTransformer(HOOK, null, () -> { });
        assertNull(elsewhere.transform(null, SessionCacheTransformer.TARGET, null, null,
                classBytes("javax/net/ssl/SSLContext")));
        assertTrue(!elsewhere.applied() && elsewhere.failure() != null);
    }

    private static byte[] cacheBytes() throws Exception {
        return classBytes(SessionCacheTransformer.TARGET);
    }

    private static byte[] classBytes(String internalName) throws Exception {
        Path path = Path.of(URI.create("jrt:/java.base/" + internalName + ".class"));
        try (InputStream in = Files.newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    /** The method's instructions, the hook call shown as HOOK and every ARETURN as RETURN. */
    private static List<String> instructions(byte[] classFile, String methodName, String descriptor) {
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
                    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
                        instructions.add(owner.equals(HOOK) && name.equals(ResumptionHookClass.METHOD)
                                && desc.equals(ResumptionHookClass.DESCRIPTOR) && opcode == Opcodes.INVOKESTATIC
                                ? "HOOK" : "INVOKE " + owner + "." + name + desc);
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        instructions.add((opcode == Opcodes.CHECKCAST ? "CHECKCAST " : opcode + " ") + type);
                    }

                    @Override
                    public void visitVarInsn(int opcode, int var) {
                        instructions.add("VAR " + opcode + " " + var);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
                        instructions.add("FIELD " + owner + "." + name);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        instructions.add(opcode == Opcodes.ARETURN ? "RETURN" : "INSN " + opcode);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return instructions;
    }
}
