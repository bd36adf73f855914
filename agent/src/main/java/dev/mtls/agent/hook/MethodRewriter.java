package dev.mtls.agent.hook;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The ASM part of the JDK class transformers, apart from them: a transformer is loaded in premain,
 * and the verifier would load the ASM classes this code names along with it. Here they load only
 * when a target class does.
 */
final class MethodRewriter {
    private MethodRewriter() {
    }

    /**
     * The class with the one instance method {@code name}{@code descriptor} passed through
     * {@code rewrite}, every other method copied as it is; null when the class has no such method.
     */
    static byte[] rewriteInstanceMethod(byte[] classFile, String name, String descriptor, MethodRewrite rewrite) {
        return rewriteMethod(classFile, name, descriptor, false, rewrite);
    }

    /** The same for the instance or ({@code isStatic}) the static method {@code name}{@code descriptor}. */
    static byte[] rewriteMethod(byte[] classFile, String name, String descriptor, boolean isStatic,
            MethodRewrite rewrite) {
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
                        || ((access & Opcodes.ACC_STATIC) != 0) != isStatic) {
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

}
