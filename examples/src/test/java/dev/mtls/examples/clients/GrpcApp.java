package dev.mtls.examples.clients;

import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.OpenSsl;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * gRPC-java over grpc-netty-shaded, as gRPC's security guide shows
 * ({@code Grpc.newChannelBuilderForAddress(host, port, TlsChannelCredentials.create())}). The
 * shaded Netty runs its bundled BoringSSL (printed as {@code INFO openssl true}): no
 * {@code SSLContext} is involved. Usage:
 * {@code GrpcApp grpc://HOST:PORT/TAG...}
 */
public final class GrpcApp {
    private GrpcApp() {
    }

    public static void main(String[] targets) throws InterruptedException {
        ClientResults.info("openssl", String.valueOf(OpenSsl.isAvailable()));
        for (String target : targets) {
            URI uri = URI.create(target);
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(uri.getHost(), uri.getPort(),
                    TlsChannelCredentials.create()).build();
            try {
                String subject = ClientCalls.blockingUnaryCall(channel, SubjectMethod.GET,
                        CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), uri.getPath().substring(1));
                ClientResults.ok(target, subject);
            } catch (RuntimeException e) {
                ClientResults.failed(target, e);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
