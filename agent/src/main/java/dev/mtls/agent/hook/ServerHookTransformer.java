package dev.mtls.agent.hook;

import java.util.function.Consumer;

/**
 * One of the eight rewrites of the server side (see {@link ServerHandshakeHooks}); which one is
 * {@link Kind}. No ASM type here: {@link ServerClassRewrites} holds the rewrites.
 */
final class ServerHookTransformer extends JdkClassTransformer {
    /** The rewrite this transformer makes, with its target. */
    enum Kind {
        HANDSHAKE_START(ServerClassRewrites.HANDSHAKE_CONTEXT, "<init>(SSLContextImpl, TransportContext)"),
        TLS12_RESUMPTION(ServerClassRewrites.T12_CONSUMER, "consume(ConnectionContext, HandshakeMessage)"),
        TLS13_RESUMPTION(ServerClassRewrites.PRE_SHARED_KEY,
                "canRejoin(ClientHelloMessage, ServerHandshakeContext, SSLSessionImpl)"),
        CHANNEL_READ(ServerClassRewrites.SOCKET_CHANNEL, "read(ByteBuffer)"),
        TLS12_NO_CERTIFICATE(ServerClassRewrites.T12_CERTIFICATE_CONSUMER,
                "onCertificate(ServerHandshakeContext, T12CertificateMessage)"),
        TLS13_NO_CERTIFICATE(ServerClassRewrites.T13_CERTIFICATE_CONSUMER,
                "onConsumeCertificate(ServerHandshakeContext, T13CertificateMessage)"),
        TLS12_ISSUERS(ServerClassRewrites.T12_REQUEST_PRODUCER, "produce(ConnectionContext, HandshakeMessage)"),
        TLS13_ISSUERS(ServerClassRewrites.T13_AUTHORITIES_PRODUCER, "produce(ConnectionContext, HandshakeMessage)");

        final String target;
        final String method;

        Kind(String target, String method) {
            this.target = target;
            this.method = method;
        }

        /**
         * Whether the listeners can be enforced without it. The two certificate rewrites only
         * record refusals SunJSSE makes itself, the two issuer rewrites only narrow the CA list of
         * the certificate request: if they fail, enforcement stays.
         */
        boolean recordsOnly() {
            return this == TLS12_NO_CERTIFICATE || this == TLS13_NO_CERTIFICATE || narrowsIssuers();
        }

        boolean narrowsIssuers() {
            return this == TLS12_ISSUERS || this == TLS13_ISSUERS;
        }
    }

    private final Kind kind;

    ServerHookTransformer(Kind kind, String hookOwner, Consumer<String> onLoadFailure, Preparation preparation) {
        super(kind.target, kind.method, kind.method, hookOwner, onLoadFailure, preparation);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    @Override
    byte[] rewrite(byte[] classFile, String hookOwner) {
        switch (kind) {
            case HANDSHAKE_START:
                return ServerClassRewrites.callAtConstructorEnd(classFile, hookOwner);
            case TLS12_RESUMPTION:
                return ServerClassRewrites.replaceRejoinable(classFile, "consume", ServerClassRewrites.CONSUME, false,
                        hookOwner);
            case TLS13_RESUMPTION:
                return ServerClassRewrites.replaceRejoinable(classFile, "canRejoin", ServerClassRewrites.CAN_REJOIN,
                        true, hookOwner);
            case TLS12_NO_CERTIFICATE:
                return ServerClassRewrites.tellCertificateTls12(classFile, hookOwner);
            case TLS13_NO_CERTIFICATE:
                return ServerClassRewrites.tellCertificateTls13(classFile, hookOwner);
            case TLS12_ISSUERS:
            case TLS13_ISSUERS:
                return ServerClassRewrites.replaceAcceptedIssuers(classFile, hookOwner);
            default:
                return ServerClassRewrites.callAtReadStart(classFile, hookOwner);
        }
    }
}
