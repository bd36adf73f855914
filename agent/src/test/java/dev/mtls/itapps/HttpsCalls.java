package dev.mtls.itapps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** One GET, four ways; each returns the status code, a space and the body. */
final class HttpsCalls {
    private HttpsCalls() {
    }

    /** Through {@code HttpsURLConnection}, with the socket factory of {@code context} unless it is null. */
    static String urlConnection(URI uri, SSLContext context) throws IOException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
        if (context != null) {
            connection.setSSLSocketFactory(context.getSocketFactory());
        }
        try (InputStream in = connection.getInputStream()) {
            return connection.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String httpClient(URI uri, HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** HTTP/1.1 written by hand on a socket from {@code SSLContext.getDefault()}. */
    static String defaultSocket(URI uri) throws Exception {
        try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                .createSocket(uri.getHost(), uri.getPort())) {
            return get(socket, uri);
        }
    }

    /**
     * What a database driver does: a plain socket to the URL's host (an address), TLS layered over
     * it under that same address, and the server named only in SNI.
     */
    static String layeredSocket(URI uri, String serverName) throws Exception {
        try (Socket plain = new Socket(uri.getHost(), uri.getPort());
                SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory()
                        .createSocket(plain, uri.getHost(), uri.getPort(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            socket.setSSLParameters(parameters);
            return get(socket, uri);
        }
    }

    /** HTTP/1.1 written by hand. */
    private static String get(SSLSocket socket, URI uri) throws IOException {
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
