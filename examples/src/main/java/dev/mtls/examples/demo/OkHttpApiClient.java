package dev.mtls.examples.demo;

import java.net.URI;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** OkHttp 4 as its documentation shows it: one shared {@code OkHttpClient}, nothing about TLS configured. */
final class OkHttpApiClient implements ApiClient {
    private final OkHttpClient client = new OkHttpClient.Builder()
            .connectTimeout(5, TimeUnit.SECONDS)
            .readTimeout(10, TimeUnit.SECONDS)
            .build();

    @Override
    public String name() {
        return "OkHttp 4";
    }

    @Override
    public Reply get(URI uri) throws Exception {
        Request request = new Request.Builder().url(uri.toString()).build();
        try (Response response = client.newCall(request).execute()) {
            Handshake handshake = response.handshake();
            return new Reply(response.code(), response.body() == null ? "" : response.body().string(),
                    handshake == null ? null : handshake.peerCertificates().toArray(new Certificate[0]));
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
