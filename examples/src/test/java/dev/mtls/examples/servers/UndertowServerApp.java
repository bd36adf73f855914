package dev.mtls.examples.servers;

import io.undertow.Undertow;
import io.undertow.Version;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RenegotiationRequiredException;
import io.undertow.server.SSLSessionInfo;
import io.undertow.util.Headers;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Undertow 2.3 as its builder sets up HTTPS: one HTTPS listener per port on the application's
 * SSLContext (its keystore, default trust), no {@code SSL_CLIENT_AUTH_MODE}. The handler answers
 * with the subject of {@code exchange.getConnection().getSslSessionInfo().getPeerCertificates()}.
 * Arguments: the ports.
 */
public final class UndertowServerApp {
    private UndertowServerApp() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext context = ServerApps.applicationContext();
        Undertow.Builder builder = Undertow.builder().setIoThreads(2).setWorkerThreads(4);
        for (int port : ServerApps.ports(args)) {
            builder.addHttpsListener(port, "127.0.0.1", context);
        }
        builder.setHandler(new SubjectHandler()).build().start();
        ServerApps.serveUntilStdinCloses("Undertow " + Version.getVersionString());
    }

    private static final class SubjectHandler implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(ServerApps.answer(peer(exchange)));
        }

        private static Certificate[] peer(HttpServerExchange exchange) {
            SSLSessionInfo session = exchange.getConnection().getSslSessionInfo();
            try {
                return session == null ? null : session.getPeerCertificates();
            } catch (SSLPeerUnverifiedException | RenegotiationRequiredException e) {
                // No client certificate: Undertow says so with one or the other, as its own client-auth
                // option (never set here) decides.
                return null;
            }
        }
    }
}
