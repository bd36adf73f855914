package dev.mtls.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;

/**
 * One OCSP request over plain HTTP (RFC 6960 appendix A, POST): connect within
 * {@link #CONNECT_TIMEOUT_MILLIS}, each read within {@link #READ_TIMEOUT_MILLIS}, the whole
 * exchange abandoned past {@link #TOTAL_TIMEOUT_MILLIS}, at most {@link #MAX_RESPONSE_BYTES}.
 *
 * <p>{@link Proxy#NO_PROXY}: the call is made inside a handshake, and going through the
 * application's {@code ProxySelector} would run application code (and its own network calls) there,
 * and would send revocation traffic wherever {@code http.proxyHost} points the application's web
 * calls. Responders of the private CAs mutual TLS uses are normally reached directly; one behind a
 * proxy is named with {@code ocspResponder}. No TLS is involved, so the call never comes back into
 * the agent's key or trust managers.
 */
final class OcspHttp {
    static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    static final int READ_TIMEOUT_MILLIS = 3_000;
    /** What a handshake waits at most for an answer: connect plus read. */
    static final long TOTAL_TIMEOUT_MILLIS = CONNECT_TIMEOUT_MILLIS + READ_TIMEOUT_MILLIS;
    /** A response for one certificate is a few KiB even with the responder's chain. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private OcspHttp() {
    }

    static byte[] post(URI responder, byte[] request) throws IOException {
        long deadline = System.nanoTime() + TOTAL_TIMEOUT_MILLIS * 1_000_000L;
        URLConnection opened = responder.toURL().openConnection(Proxy.NO_PROXY);
        if (!(opened instanceof HttpURLConnection)) {
            throw new IOException("not an HTTP address");
        }
        HttpURLConnection connection = (HttpURLConnection) opened;
        boolean complete = false;
        try {
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setDoOutput(true);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Content-Type", "application/ocsp-request");
            connection.setRequestProperty("Accept", "application/ocsp-response");
            connection.setFixedLengthStreamingMode(request.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request);
            }
            int code = connection.getResponseCode();
            if (code != HttpURLConnection.HTTP_OK) {
                throw new IOException("HTTP " + code);
            }
            if (connection.getContentLengthLong() > MAX_RESPONSE_BYTES) {
                throw new IOException("a response of " + connection.getContentLengthLong() + " bytes (at most "
                        + MAX_RESPONSE_BYTES + ")");
            }
            byte[] body = read(connection.getInputStream(), deadline);
            complete = true;
            return body;
        } finally {
            if (!complete) {
                // Not back into the keep-alive pool half read.
                connection.disconnect();
            }
        }
    }

    private static byte[] read(InputStream in, long deadline) throws IOException {
        try (InputStream body = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            byte[] buffer = new byte[4096];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_RESPONSE_BYTES) {
                    throw new IOException("a response over " + MAX_RESPONSE_BYTES + " bytes");
                }
                if (System.nanoTime() - deadline > 0) {
                    // A responder that trickles bytes: each read is within the read timeout, the whole is not.
                    throw new IOException("no complete response within " + TOTAL_TIMEOUT_MILLIS + " ms");
                }
            }
            return out.toByteArray();
        }
    }
}
