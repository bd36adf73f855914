package dev.mtls.agent.hook;

import java.lang.reflect.Field;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Answers the JVM's default SSLContext if something already created it, without creating it.
 * The field comes from the copy of {@link SslPackageAccess} that javax.net.ssl is open to; it is
 * asked for only at the first sweep, when SSLContext is in use, so that start-up loads nothing
 * more. A class, not a lambda: see {@link ManagerWrappingFunction}.
 */
final class DefaultContextFinder implements Supplier<SSLContext> {
    private final Class<?> access;
    private volatile Field field;
    private volatile boolean unavailable;

    DefaultContextFinder(Class<?> access) {
        this.access = access;
    }

    @Override
    public SSLContext get() {
        Field found = field();
        if (found == null) {
            return null;
        }
        try {
            return (SSLContext) found.get(null);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private Field field() {
        Field found = field;
        if (found != null || unavailable) {
            return found;
        }
        try {
            found = (Field) access.getMethod("defaultContextField").invoke(null);
            field = found;
            return found;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // Another JDK's layout: the default context's sessions then age out on the JDK's own timeout.
            unavailable = true;
            return null;
        }
    }
}
