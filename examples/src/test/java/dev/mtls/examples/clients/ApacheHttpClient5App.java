package dev.mtls.examples.clients;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Apache HttpClient 5, classic API, as its quick start shows. Up to 5.4 the default client's
 * context is {@code SSLContext.getInstance("TLS").init(null, null, null)}; later releases take
 * the JVM's default context. Usage: {@code ApacheHttpClient5App URL...}
 */
public final class ApacheHttpClient5App {
    private ApacheHttpClient5App() {
    }

    public static void main(String[] urls) throws Exception {
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            for (String url : urls) {
                try {
                    ClientResults.ok(url, client.execute(new HttpGet(url),
                            response -> response.getCode() + " " + EntityUtils.toString(response.getEntity())));
                } catch (Exception e) {
                    ClientResults.failed(url, e);
                }
            }
        }
    }
}
