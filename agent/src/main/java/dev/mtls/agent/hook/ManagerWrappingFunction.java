package dev.mtls.agent.hook;

import dev.mtls.jsse.ManagerWrapping;
import dev.mtls.sessions.WrappedContexts;
import dev.mtls.snapshot.ActiveProfiles;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * What the hook in {@code SSLContext#init} calls: the agent's wrapping, seen through a JDK type
 * ({@link Function}) because the hook class cannot see the agent's classes. Named classes, not
 * lambdas: the first lambda in a JVM costs milliseconds of start-up for the bootstrap machinery.
 */
final class ManagerWrappingFunction {
    private ManagerWrappingFunction() {
    }

    static final class KeyManagers implements Function<Object, Object> {
        @Override
        public Object apply(Object managers) {
            return ManagerWrapping.wrapKeyManagers((KeyManager[]) managers, ActiveProfiles.source());
        }
    }

    static final class TrustManagers implements Function<Object, Object> {
        @Override
        public Object apply(Object managers) {
            return ManagerWrapping.wrapTrustManagers((TrustManager[]) managers, ActiveProfiles.source());
        }
    }

    /** Remembers the context being initialised, weakly, so a reload can sweep its client sessions. */
    static final class RegisterContext implements Function<Object, Object> {
        @Override
        public Object apply(Object context) {
            WrappedContexts.register((SSLContext) context);
            ServerHandshakeHooks.ensureChannelHook();
            return context;
        }
    }
}
