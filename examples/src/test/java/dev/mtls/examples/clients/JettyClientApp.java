package dev.mtls.examples.clients;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/**
 * Jetty's HttpClient, as its programming guide shows: the default {@code SslContextFactory.Client}
 * with the JVM's trust. Usage: {@code JettyClientApp URL...}
 */
public final class JettyClientApp {
    private JettyClientApp() {
    }

    public static void main(String[] urls) throws Exception {
        HttpClient client = new HttpClient();
        client.start();
        try {
            for (String url : urls) {
                try {
                    ContentResponse response = client.GET(url);
                    ClientResults.ok(url, response.getStatus() + " " + response.getContentAsString());
                } catch (Exception e) {
                    ClientResults.failed(url, e);
                }
            }
        } finally {
            client.stop();
        }
    }
}
