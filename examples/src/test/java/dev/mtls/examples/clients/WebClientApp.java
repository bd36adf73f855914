package dev.mtls.examples.clients;

import io.netty.handler.ssl.OpenSsl;
import java.time.Duration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring's WebClient on Reactor Netty, as Spring's reference shows ({@code WebClient.create()}):
 * reactor-netty builds its client SslContext with Netty's {@code SslContextBuilder.forClient()},
 * on BoringSSL when netty-tcnative is on the class path (printed as {@code INFO engine OpenSsl},
 * else {@code INFO engine JDK}). Usage: {@code WebClientApp URL...}
 */
public final class WebClientApp {
    private WebClientApp() {
    }

    public static void main(String[] urls) {
        ClientResults.info("engine", OpenSsl.isAvailable() ? "OpenSsl" : "JDK");
        WebClient client = WebClient.create();
        for (String url : urls) {
            try {
                ResponseEntity<String> response = client.get().uri(url).retrieve().toEntity(String.class)
                        .block(Duration.ofSeconds(30));
                ClientResults.ok(url, response.getStatusCode().value() + " " + response.getBody());
            } catch (Exception e) {
                ClientResults.failed(url, e);
            }
        }
        // Reactor Netty's event loop threads are not daemons.
        System.exit(0);
    }
}
