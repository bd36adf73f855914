package dev.mtls.examples.clients;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Netty's HTTP client as its snoop example writes it: {@code SslContextBuilder.forClient()} with
 * the chosen provider and the JVM's default trust, {@code newHandler(alloc, host, port)} so the
 * engine knows its peer. With {@code OPENSSL} (netty-tcnative BoringSSL) there is no
 * {@code SSLContext} at all. Prints {@code INFO engine <class>} per call to show which engine ran.
 * Usage: {@code NettyApp JDK|OPENSSL URL...}, or {@code NettyApp JDK|OPENSSL --repeat-until STOPFILE URL}
 * (see {@link #repeatUntil}).
 */
public final class NettyApp {
    private static final int MAX_REPEATS = 3000;

    private NettyApp() {
    }

    public static void main(String[] args) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().sslProvider(SslProvider.valueOf(args[0])).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            if (args.length == 4 && args[1].equals("--repeat-until")) {
                repeatUntil(group, ssl, Path.of(args[2]), args[3]);
                return;
            }
            for (int i = 1; i < args.length; i++) {
                try {
                    ClientResults.ok(args[i], get(group, ssl, URI.create(args[i]), new SslHandler[1]));
                } catch (Exception e) {
                    ClientResults.failed(args[i], e);
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * A service that keeps calling one backend: {@code URL/0}, {@code URL/1}, ... each on a new
     * connection from the same context, so that sessions are resumed from its cache, until the
     * stop file appears (at most {@link #MAX_REPEATS} calls). Prints {@code INFO resumed <n> <yes|no>}
     * after each call.
     */
    private static void repeatUntil(EventLoopGroup group, SslContext ssl, Path stopFile, String url)
            throws InterruptedException {
        for (int n = 0; n < MAX_REPEATS && !Files.exists(stopFile); n++) {
            String target = url + "/" + n;
            SslHandler[] used = new SslHandler[1];
            try {
                ClientResults.ok(target, get(group, ssl, URI.create(target), used));
            } catch (Exception e) {
                ClientResults.failed(target, e);
            }
            ClientResults.info("resumed", n + " " + (wasResumed(used[0]) ? "yes" : "no"));
            Thread.sleep(20);
        }
    }

    /** Netty keeps this to itself ({@code isSessionReused}, package-private); the test reads it to prove the cache was used. */
    private static boolean wasResumed(SslHandler handler) {
        for (Class<?> type = handler.engine().getClass(); type != null; type = type.getSuperclass()) {
            try {
                Method reused = type.getDeclaredMethod("isSessionReused");
                reused.setAccessible(true);
                return (Boolean) reused.invoke(handler.engine());
            } catch (NoSuchMethodException notHere) {
                // Declared by a superclass (ReferenceCountedOpenSslEngine).
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static String get(EventLoopGroup group, SslContext ssl, URI uri, SslHandler[] used) throws Exception {
        CompletableFuture<String> response = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        SslHandler tls = ssl.newHandler(channel.alloc(), uri.getHost(), uri.getPort());
                        used[0] = tls;
                        ClientResults.info("engine", tls.engine().getClass().getName());
                        channel.pipeline().addLast(tls, new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new ResponseHandler(response));
                    }
                });
        Channel channel = bootstrap.connect(uri.getHost(), uri.getPort()).sync().channel();
        try {
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                    uri.getRawPath());
            request.headers().set(HttpHeaderNames.HOST, uri.getHost() + ":" + uri.getPort());
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(request);
            return response.get(30, TimeUnit.SECONDS);
        } finally {
            channel.close();
        }
    }

    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<String> response;

        ResponseHandler(CompletableFuture<String> response) {
            this.response = response;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext context, FullHttpResponse message) {
            response.complete(message.status().code() + " " + message.content().toString(StandardCharsets.UTF_8));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            response.completeExceptionally(cause);
            context.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            response.completeExceptionally(new IOException("connection closed before a response"));
        }
    }
}
