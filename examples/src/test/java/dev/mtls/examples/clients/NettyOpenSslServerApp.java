package dev.mtls.examples.clients;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A Netty server on the OpenSSL (netty-tcnative BoringSSL) engine written with no client-auth code:
 * {@code SslContextBuilder.forServer(chain, key).sslProvider(OPENSSL)}. For each line a client sends
 * it answers {@code client: <subject>} (or {@code client: none}) from
 * {@code SslHandler.engine().getSession().getPeerCertificates()}, and closes. Writes its port to
 * PORTFILE, prints {@code INFO context <class>} and {@code READY}, and runs until stdin closes.
 * Usage: {@code NettyOpenSslServerApp CHAIN.pem KEY.pem PORTFILE [OPENSSL|JDK]} (OPENSSL when left out).
 */
public final class NettyOpenSslServerApp {
    private NettyOpenSslServerApp() {
    }

    public static void main(String[] args) throws Exception {
        SslContext ssl = SslContextBuilder.forServer(new File(args[0]), new File(args[1]))
                .sslProvider(SslProvider.valueOf(args.length > 3 ? args[3] : "OPENSSL")).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            channel.pipeline().addLast(ssl.newHandler(channel.alloc()), new LineBasedFrameDecoder(1024),
                                    new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                                    new Answer());
                        }
                    }).bind("127.0.0.1", 0).sync().channel();
            Files.writeString(Path.of(args[2]), Integer.toString(((InetSocketAddress) server.localAddress()).getPort()));
            ClientResults.info("context", ssl.getClass().getName());
            System.out.println("READY");
            while (System.in.read() >= 0) {
                // Runs until the test closes stdin.
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static final class Answer extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext context, String line) {
            SslHandler tls = context.pipeline().get(SslHandler.class);
            String client;
            try {
                client = ((X509Certificate) tls.engine().getSession().getPeerCertificates()[0])
                        .getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                client = "none";
            }
            context.writeAndFlush("client: " + client + "\n").addListener(ChannelFutureListener.CLOSE);
        }
    }
}
