package dev.mtls.agent.netty;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;

/**
 * Applies {@link SslContextBuilderAdvice} to the bytes of one {@code SslContextBuilder} class.
 * The only class of this package that touches Byte Buddy, so that Byte Buddy loads when the
 * first Netty builder class does, never at JVM start.
 */
final class SslContextBuilderInstrumentation {
    private SslContextBuilderInstrumentation() {
    }

    /**
     * @param loader the loader defining the class: its other classes are described from it
     * @param internalName e.g. {@code io/grpc/netty/shaded/io/netty/handler/ssl/SslContextBuilder}
     * @return the class with the advice in {@code build()}
     * @throws IllegalStateException when the class lacks a field or method the advice needs
     */
    static byte[] instrument(ClassLoader loader, String internalName, byte[] classFile) {
        String name = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = TypePool.Default.WithLazyResolution.of(locator).describe(name).resolve();
        if (type.getDeclaredMethods().filter(named("build").and(takesNoArguments()).and(not(isStatic()))).isEmpty()) {
            throw new IllegalStateException(name + " has no build() method");
        }
        Class<?> advice = type.getDeclaredFields().filter(named("credentials")).isEmpty()
                ? SslContextBuilderAdvice.Classic.class : SslContextBuilderAdvice.WithCredentials.class;
        return new ByteBuddy()
                .with(TypeValidation.DISABLED)
                .redefine(type, locator)
                .visit(Advice.to(advice).on(named("build").and(takesNoArguments()).and(not(isStatic()))))
                .make()
                .getBytes();
    }
}
