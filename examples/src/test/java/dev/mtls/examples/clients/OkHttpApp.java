package dev.mtls.examples.clients;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp 4, as its recipes show. OkHttp builds its own context with the platform's trust and
 * {@code init(null, trustManagers, null)}. Usage: {@code OkHttpApp URL...}
 */
public final class OkHttpApp {
    private OkHttpApp() {
    }

    public static void main(String[] urls) {
        OkHttpClient client = new OkHttpClient();
        for (String url : urls) {
            try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
                ClientResults.ok(url, response.code() + " " + response.body().string());
            } catch (Exception e) {
                ClientResults.failed(url, e);
            }
        }
        // OkHttp's pool threads would keep the JVM alive for a minute.
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
