package dev.mtls.agent.hook;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodHandles.Lookup;
import javax.net.ssl.SSLContext;

/**
 * Hands out a lookup with package access to javax.net.ssl. This class is never used from the
 * agent's own loader: {@link SslContextHook} defines a second copy of it in a throw-away class
 * loader and opens javax.net.ssl to that loader's unnamed module only. Opening the package to
 * the agent's module instead would open it to the whole application class path (the agent jar
 * shares the application's unnamed module), a visible change of behaviour for any library that
 * probes {@code setAccessible} on JSSE internals.
 *
 * <p>JDK types only: the throw-away loader delegates everything else to the agent's loader, but
 * nothing else is needed.
 */
public final class SslPackageAccess {
    private SslPackageAccess() {
    }

    /** Called reflectively on the copy in the throw-away loader, after javax.net.ssl is opened to it. */
    public static Lookup lookup() throws IllegalAccessException {
        return MethodHandles.privateLookupIn(SSLContext.class, MethodHandles.lookup());
    }
}
