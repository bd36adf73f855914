package dev.mtls.agent.netty;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import net.bytebuddy.asm.Advice;

/**
 * Code inlined at the start of {@code SslContextBuilder#build()}: for a client-side builder, the
 * key manager factory field becomes one holding the routing key manager (around the
 * application's own, if it set one), and an application trust manager factory gets routing
 * trust managers. Netty's contexts then ask that key manager with the engine whose
 * {@code getPeerHost()} is the host the application connects to, for the OpenSSL engine as for
 * the JDK one.
 *
 * <p>Fields, not Netty's setters: the builder's class is often a shaded copy we cannot name, while
 * these fields have had the same names and JDK types since Netty 4.0. Two variants because
 * Netty 4.2 added {@code credentials} (OpenSSL key material given directly), which must count as
 * key material the application configured. Exceptions are suppressed: a failure leaves the build
 * exactly as the application wrote it.
 */
final class SslContextBuilderAdvice {
    private SslContextBuilderAdvice() {
    }

    /** Netty 4.0 to 4.2 before {@code credentials}. */
    static final class Classic {
        private Classic() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onBuild(@Advice.FieldValue("forServer") boolean forServer,
                @Advice.FieldValue("keyCertChain") X509Certificate[] keyCertChain,
                @Advice.FieldValue("key") PrivateKey key,
                @Advice.FieldValue(value = "keyManagerFactory", readOnly = false) KeyManagerFactory keyManagerFactory,
                @Advice.FieldValue(value = "trustManagerFactory", readOnly = false)
                        TrustManagerFactory trustManagerFactory) {
            if (!forServer) {
                keyManagerFactory = NettyClientManagers.keyManagers(keyManagerFactory, keyCertChain != null || key != null);
                trustManagerFactory = NettyClientManagers.trustManagers(trustManagerFactory);
            }
        }
    }

    /** Netty 4.2 with {@code addCredential(OpenSslCredential)}. */
    static final class WithCredentials {
        private WithCredentials() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void onBuild(@Advice.FieldValue("forServer") boolean forServer,
                @Advice.FieldValue("keyCertChain") X509Certificate[] keyCertChain,
                @Advice.FieldValue("key") PrivateKey key,
                @Advice.FieldValue("credentials") List<?> credentials,
                @Advice.FieldValue(value = "keyManagerFactory", readOnly = false) KeyManagerFactory keyManagerFactory,
                @Advice.FieldValue(value = "trustManagerFactory", readOnly = false)
                        TrustManagerFactory trustManagerFactory) {
            if (!forServer) {
                keyManagerFactory = NettyClientManagers.keyManagers(keyManagerFactory,
                        keyCertChain != null || key != null || (credentials != null && !credentials.isEmpty()));
                trustManagerFactory = NettyClientManagers.trustManagers(trustManagerFactory);
            }
        }
    }
}
