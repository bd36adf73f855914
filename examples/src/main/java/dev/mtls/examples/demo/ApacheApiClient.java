package dev.mtls.examples.demo;

import java.net.URI;
import javax.net.ssl.SSLSession;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
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
        // The context keeps the connection's TLS session for the handler to read its server certificate.
        HttpClientContext context = HttpClientContext.create();
        return client.execute(new HttpGet(uri), context, response -> {
            SSLSession session = context.getSSLSession();
            return new Reply(response.getCode(), EntityUtils.toString(response.getEntity()),
                    session == null ? null : session.getPeerCertificates());
        });
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
