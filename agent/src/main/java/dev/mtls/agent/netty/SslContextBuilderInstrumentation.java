package dev.mtls.agent.netty;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts, at the start of {@code SslContextBuilder#build()}:
 *
 * <pre>{@code
 * try {
 *     NettyServerManagers.prepare(this);                       // server builders on OpenSSL, under listeners
 *     this.keyManagerFactory = NettyClientManagers.keyManagers(this.forServer, this.keyCertChain, this.key,
 *             this.credentials, this.keyManagerFactory);       // null for credentials before Netty 4.2
 *     this.trustManagerFactory = NettyClientManagers.trustManagers(this.forServer, this.trustManagerFactory);
 * } catch (Throwable t) {
 *     // the build goes on as the application wrote it
 * }
 * }</pre>
 *
 * <p>Fields, not Netty's setters: the builder is often a shaded copy whose types we cannot name,
 * while these fields have had the same names and JDK types since Netty 4.0. The catch matters:
 * in a class loader that cannot see the agent jar (OSGi, say) the call would otherwise throw
 * {@code NoClassDefFoundError} into the application.
 *
 * <p>With plain ASM (relocated) rather than Byte Buddy's {@code Advice}: the
 * first instrumentation with {@code Advice} loaded ~850 classes and took ~450 ms, paid by every
 * Netty application as it built its first context; ASM costs a few milliseconds.
 */
final class SslContextBuilderInstrumentation {
    private static final String MANAGERS = "dev/mtls/agent/netty/NettyClientManagers";
    private static final String SERVER_MANAGERS = "dev/mtls/agent/netty/NettyServerManagers";
    private static final String KEY_MANAGERS_DESCRIPTOR = "(Z[Ljava/security/cert/X509Certificate;"
            + "Ljava/security/PrivateKey;Ljava/util/List;Ljavax/net/ssl/KeyManagerFactory;)"
            + "Ljavax/net/ssl/KeyManagerFactory;";
    private static final String TRUST_MANAGERS_DESCRIPTOR =
            "(ZLjavax/net/ssl/TrustManagerFactory;)Ljavax/net/ssl/TrustManagerFactory;";
    /** The fields the inserted code reads or writes, by name, with the descriptors they must have. */
    private static final Map<String, String> FIELDS = Map.of(
            "forServer", "Z",
            "keyCertChain", "[Ljava/security/cert/X509Certificate;",
            "key", "Ljava/security/PrivateKey;",
            "keyManagerFactory", "Ljavax/net/ssl/KeyManagerFactory;",
            "trustManagerFactory", "Ljavax/net/ssl/TrustManagerFactory;");
    private static final String CREDENTIALS = "credentials";
    private static final String LIST = "Ljava/util/List;";

    private SslContextBuilderInstrumentation() {
    }

    /**
     * @param internalName e.g. {@code io/grpc/netty/shaded/io/netty/handler/ssl/SslContextBuilder}
     * @return the class with the calls inserted into {@code build()}
     * @throws IllegalStateException when the class lacks a field or method the calls need
     */
    static byte[] instrument(String internalName, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Shape shape = new Shape();
        reader.accept(shape, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        String missing = shape.missing();
        if (missing != null) {
            throw new IllegalStateException(internalName + " has no " + missing);
        }
        // Expanded frames, so that the two frames added here can be written as full frames among the others.
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                return isBuild(access, name, descriptor)
                        ? new BuildMethod(method, internalName, shape.hasCredentials)
                        : method;
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static boolean isBuild(int access, String name, String descriptor) {
        return "build".equals(name) && descriptor.startsWith("()") && (access & Opcodes.ACC_STATIC) == 0
                && (access & Opcodes.ACC_ABSTRACT) == 0;
    }

    /** What a first reading finds: the fields, and whether build() exists. */
    private static final class Shape extends ClassVisitor {
        private final Map<String, String> fields = new HashMap<>();
        private boolean hasBuild;
        boolean hasCredentials;

        Shape() {
            super(Opcodes.ASM9);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) == 0) {
                fields.put(name, descriptor);
                hasCredentials |= CREDENTIALS.equals(name) && LIST.equals(descriptor);
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            hasBuild |= isBuild(access, name, descriptor);
            return null;
        }

        /** The first thing missing, or null. */
        String missing() {
            for (Map.Entry<String, String> field : FIELDS.entrySet()) {
                if (!field.getValue().equals(fields.get(field.getKey()))) {
                    return "field " + field.getKey() + " of type " + field.getValue();
                }
            }
            return hasBuild ? null : "method build()";
        }
    }

    /** Emits the calls and their handler; see the class comment. */
    private static final class BuildMethod extends MethodVisitor {
        private final String owner;
        private final boolean hasCredentials;
        private final Label tryStart = new Label();
        private final Label tryEnd = new Label();
        private final Label handler = new Label();

        BuildMethod(MethodVisitor method, String owner, boolean hasCredentials) {
            super(Opcodes.ASM9, method);
            this.owner = owner;
            this.hasCredentials = hasCredentials;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitTryCatchBlock(tryStart, tryEnd, handler, "java/lang/Throwable");
            super.visitLabel(tryStart);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SERVER_MANAGERS, "prepare", "(Ljava/lang/Object;)V", false);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            loadField("forServer");
            loadField("keyCertChain");
            loadField("key");
            if (hasCredentials) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, CREDENTIALS, LIST);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            loadField("keyManagerFactory");
            super.visitMethodInsn(Opcodes.INVOKESTATIC, MANAGERS, "keyManagers", KEY_MANAGERS_DESCRIPTOR, false);
            super.visitFieldInsn(Opcodes.PUTFIELD, owner, "keyManagerFactory", FIELDS.get("keyManagerFactory"));
            super.visitVarInsn(Opcodes.ALOAD, 0);
            loadField("forServer");
            loadField("trustManagerFactory");
            super.visitMethodInsn(Opcodes.INVOKESTATIC, MANAGERS, "trustManagers", TRUST_MANAGERS_DESCRIPTOR, false);
            super.visitFieldInsn(Opcodes.PUTFIELD, owner, "trustManagerFactory", FIELDS.get("trustManagerFactory"));
            super.visitLabel(tryEnd);
            // The handler jumps here, which needs a frame (the method's initial one). The NOP keeps it
            // off the original first instruction, which may have a frame of its own (a loop back to the start).
            super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 0, new Object[0]);
            super.visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitLabel(handler);
            super.visitFrame(Opcodes.F_NEW, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
            super.visitInsn(Opcodes.POP);
            super.visitJumpInsn(Opcodes.GOTO, tryEnd);
            // this plus five arguments for keyManagers().
            super.visitMaxs(Math.max(maxStack, 6), Math.max(maxLocals, 1));
        }

        private void loadField(String name) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, owner, name, FIELDS.get(name));
        }
    }
}
