package dev.mtls.examples.matrix;

import dev.mtls.examples.clients.SubjectMethod;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A gRPC server on 127.0.0.1 over grpc-netty-shaded with its own TLS credentials, requiring (or
 * only accepting) a client certificate from the test CA. It serves {@link SubjectMethod}:
 * records and answers the subject of the client certificate of each call, by the call's tag.
 */
final class GrpcSubjectServer implements AutoCloseable {
    static final String NONE = "none";
    private static final Context.Key<String> SUBJECT = Context.key("client-certificate-subject");

    private final Server server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    private GrpcSubjectServer(MatrixPki pki, TlsServerCredentials.ClientAuth clientAuth) throws IOException {
        ServerCredentials credentials = TlsServerCredentials.newBuilder()
                .keyManager(pki.serverChainPem.toFile(), pki.serverKeyPem.toFile())
                .trustManager(pki.caPem.toFile())
                .clientAuth(clientAuth)
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SubjectMethod.SERVICE)
                .addMethod(SubjectMethod.GET, ServerCalls.asyncUnaryCall((tag, responses) -> {
                    String subject = SUBJECT.get();
                    seen.put(tag, subject);
                    responses.onNext(subject);
                    responses.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), credentials)
                .addService(ServerInterceptors.intercept(service, new SubjectInterceptor()))
                .build()
                .start();
    }

    static GrpcSubjectServer requiringClientCertificate(MatrixPki pki) throws IOException {
        return new GrpcSubjectServer(pki, TlsServerCredentials.ClientAuth.REQUIRE);
    }

    static GrpcSubjectServer acceptingClientCertificate(MatrixPki pki) throws IOException {
        return new GrpcSubjectServer(pki, TlsServerCredentials.ClientAuth.OPTIONAL);
    }

    String target(String host, String tag) {
        return "grpc://" + host + ":" + server.getPort() + "/" + tag;
    }

    /** The subject recorded for a call's tag, "none", or null when no call arrived. */
    String seen(String tag) {
        return seen.get(tag);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Puts the subject of the call's client certificate into the call's context. */
    private static final class SubjectInterceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                ServerCallHandler<Q, R> next) {
            SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
            return Contexts.interceptCall(Context.current().withValue(SUBJECT, subject(session)), call, headers,
                    next);
        }

        private static String subject(SSLSession session) {
            try {
                return session == null ? NONE
                        : ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                return NONE;
            }
        }
    }
}
