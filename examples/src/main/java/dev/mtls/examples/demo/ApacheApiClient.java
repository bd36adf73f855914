package dev.mtls.examples.demo;

import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** Apache HttpClient 5 (classic API) as its quick start shows it: {@code HttpClients.createDefault()}. */
final class ApacheApiClient implements ApiClient {
    private final CloseableHttpClient client = HttpClients.createDefault();

    @Override
    public String name() {
        return "Apache HttpClient 5";
    }

    @Override
    public Reply get(URI uri) throws Exception {
        return client.execute(new HttpGet(uri),
                response -> new Reply(response.getCode(), EntityUtils.toString(response.getEntity())));
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
