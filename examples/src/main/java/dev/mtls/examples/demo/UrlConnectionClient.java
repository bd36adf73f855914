package dev.mtls.examples.demo;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import javax.net.ssl.HttpsURLConnection;

/** {@code HttpsURLConnection}, the JDK's oldest HTTPS client, with its default socket factory. */
final class UrlConnectionClient implements ApiClient {
    @Override
    public String name() {
        return "HttpsURLConnection";
    }

    @Override
    public Reply get(URI uri) throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        try (InputStream in = connection.getInputStream()) {
            Certificate[] server = connection.getServerCertificates();
            return new Reply(connection.getResponseCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    server);
        }
    }
}
