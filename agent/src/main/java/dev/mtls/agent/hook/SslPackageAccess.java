package dev.mtls.agent.hook;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * Defines the hook class inside javax.net.ssl and points it at the agent. This class is never
 * used from the agent's own loader: {@link SslContextHook} defines a second copy of it in a
 * throw-away class loader and opens javax.net.ssl to that loader's unnamed module only. Opening
 * the package to the agent's module instead would open it to the whole application class path
 * (the agent jar shares the application's unnamed module), a visible change of behaviour for any
 * library that probes {@code setAccessible} on JSSE internals.
 *
 * <p>JDK types only, and nothing that spins method handles: core reflection sets the fields.
 */
public final class SslPackageAccess {
    private SslPackageAccess() {
    }

    /**
     * Called reflectively on the copy in the throw-away loader, once javax.net.ssl is open to it.
     * The lookup is anchored on {@link KeyManager}, a tiny interface, so that SSLContext itself is
     * not loaded early: when nothing has loaded it yet, the transformer sees its first load and no
     * retransformation is needed.
     *
     * @return the defined hook class
     */
    public static Class<?> defineHook(byte[] classFile, String keyField, Function<Object, Object> keyFunction,
            String trustField, Function<Object, Object> trustFunction, String contextField,
            Function<Object, Object> contextFunction) throws ReflectiveOperationException {
        Class<?> hook = MethodHandles.privateLookupIn(KeyManager.class, MethodHandles.lookup()).defineClass(classFile);
        set(hook, keyField, keyFunction);
        set(hook, trustField, trustFunction);
        set(hook, contextField, contextFunction);
        return hook;
    }

    /**
     * Defines a hook class in the package of {@code beside} (a JDK class whose package is open to
     * this copy's loader) and sets its one function field.
     *
     * @return the defined hook class
     */
    public static Class<?> defineBeside(Class<?> beside, byte[] classFile, String field,
            Function<Object, Object> function) throws ReflectiveOperationException {
        Class<?> hook = MethodHandles.privateLookupIn(beside, MethodHandles.lookup()).defineClass(classFile);
        set(hook, field, function);
        return hook;
    }

    /**
     * {@code SSLContext.defaultContext}, made readable, so that a reload can sweep the sessions of
     * the JVM's default context without {@code getDefault()}, which would create it. Called only
     * once SSLContext is in use. The Field's accessible flag is what the agent keeps; the package
     * stays closed to everyone else.
     */
    public static Field defaultContextField() throws ReflectiveOperationException {
        Field field = SSLContext.class.getDeclaredField("defaultContext");
        field.setAccessible(true);
        return field;
    }

    private static void set(Class<?> hook, String name, Function<Object, Object> function)
            throws ReflectiveOperationException {
        Field field = hook.getDeclaredField(name);
        field.setAccessible(true);
        field.set(null, function);
    }
}
