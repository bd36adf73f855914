package dev.mtls.agent.hook;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Generates the bytes of {@code sun.security.ssl.MtlsResumptionHook}, which the code inserted
 * into SunJSSE's client session cache calls (see {@link SessionCacheTransformer}). Like
 * {@link InitHookClass}, JDK types only and package-private members; it lives in the JDK's own
 * (not exported) package, so that nothing outside SunJSSE can call it:
 *
 * <pre>{@code
 * final class MtlsResumptionHook {
 *     static volatile Function filter;             // set by the agent, null = pass-through
 *
 *     static Object resumable(Object session) {    // the session, or null: do not resume it
 *         try {
 *             Function f = filter;
 *             return f == null ? session : f.apply(session);
 *         } catch (Throwable t) {
 *             return session;                      // never throw into the host
 *         }
 *     }
 * }
 * }</pre>
 */
final class ResumptionHookClass {
    static final String NAME = "sun.security.ssl.MtlsResumptionHook";
    static final String FILTER = "filter";
    static final String METHOD = "resumable";
    static final String DESCRIPTOR = "(Ljava/lang/Object;)Ljava/lang/Object;";

    private ResumptionHookClass() {
    }

    /** The production class, {@value #NAME}. */
    static byte[] bytes() {
        return bytes(NAME.replace('.', '/'));
    }

    /** @param internalName a different name lets tests load the same code outside java.base */
    static byte[] bytes(String internalName) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V11, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, internalName, null,
                "java/lang/Object", null);
        writer.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, FILTER, "L" + InitHookClass.FUNCTION + ";", null,
                null).visitEnd();
        InitHookClass.passThroughMethod(writer, internalName, METHOD, DESCRIPTOR, FILTER, "java/lang/Object");
        writer.visitEnd();
        return writer.toByteArray();
    }
}
