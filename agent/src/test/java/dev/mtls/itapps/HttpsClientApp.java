package dev.mtls.itapps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified application: it knows nothing of the agent and uses only the JDK. It calls each
 * URL with one client style and prints one line per URL; trust comes from the standard
 * {@code javax.net.ssl.trustStore} properties. Run in a child JVM by the integration tests.
 *
 * <p>Usage: {@code HttpsClientApp MODE URL...}, MODE one of urlconnection, httpclient,
 * init-null-keymanager, sunjsse-named, default-socket.
 */
public final class HttpsClientApp {
    private HttpsClientApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        for (int i = 1; i < args.length; i++) {
            URI uri = URI.create(args[i]);
            String result;
            try {
                result = call(mode, uri);
            } catch (IOException e) {
                result = "failed: " + e;
            }
            System.out.println(uri + " -> " + result);
        }
    }

    private static String call(String mode, URI uri) throws Exception {
        switch (mode) {
            case "urlconnection":
                return urlConnection(uri, null);
            case "httpclient":
                return httpClient(uri, HttpClient.newHttpClient());
            case "init-null-keymanager": {
                // What OkHttp, Apache HttpClient, Netty, pgjdbc and Kafka do: their own trust, no key managers.
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init((KeyStore) null);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                return urlConnection(uri, context);
            }
            case "sunjsse-named": {
                // The provider named explicitly never reaches a default key manager factory lookup.
                SSLContext context = SSLContext.getInstance("TLS", "SunJSSE");
                context.init(null, null, null);
                return httpClient(uri, HttpClient.newBuilder().sslContext(context).build());
            }
            case "default-socket":
                return defaultSocket(uri);
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static String urlConnection(URI uri, SSLContext context) throws IOException {
        URL url = uri.toURL();
        HttpsURLConnection connection = (HttpsURLConnection) url.openConnection();
        if (context != null) {
            connection.setSSLSocketFactory(context.getSocketFactory());
        }
        try (InputStream in = connection.getInputStream()) {
            return connection.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String httpClient(URI uri, HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static String defaultSocket(URI uri) throws Exception {
        try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            socket.getInputStream().transferTo(response);
            String text = response.toString(StandardCharsets.UTF_8);
            String status = text.substring(text.indexOf(' ') + 1, text.indexOf(' ') + 4);
            return status + " " + text.substring(text.indexOf("\r\n\r\n") + 4);
        }
    }
}
