package dev.mtls.agent.netty;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.function.Consumer;

/**
 * Hands every class whose name ends in {@code .handler.ssl.SslContextBuilder} (Netty's own and
 * any shaded copy) to {@link SslContextBuilderInstrumentation}. Called for every class the JVM
 * loads, so a miss is one string comparison, and ASM is loaded only on a hit.
 */
final class SslContextBuilderTransformer implements ClassFileTransformer {
    static final String SUFFIX = "/handler/ssl/SslContextBuilder";

    private final Consumer<String> onFailure;

    /** @param onFailure told why a matching class could not be instrumented */
    SslContextBuilderTransformer(Consumer<String> onFailure) {
        this.onFailure = onFailure;
    }

    static boolean matches(String internalName) {
        return internalName != null && internalName.endsWith(SUFFIX);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // The boot loader cannot see the agent's classes, which the inserted code calls.
        if (loader == null || !matches(className)) {
            return null;
        }
        try {
            return SslContextBuilderInstrumentation.instrument(className, classfileBuffer);
        } catch (Throwable t) {
            // The JVM would swallow it; the class then loads unchanged and Netty runs without the identity.
            onFailure.accept("cannot instrument " + className.replace('/', '.') + "#build: " + t);
            return null;
        }
    }
}
