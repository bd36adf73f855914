package dev.mtls.examples.clients;

import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpClient 4.5, as its tutorial shows; its default context is
 * {@code SSLContext.getInstance("TLS").init(null, null, null)}. Usage: {@code ApacheHttpClient4App URL...}
 */
public final class ApacheHttpClient4App {
    private ApacheHttpClient4App() {
    }

    public static void main(String[] urls) throws Exception {
        try (CloseableHttpClient client = HttpClients.createDefault()) {
            for (String url : urls) {
                try (CloseableHttpResponse response = client.execute(new HttpGet(url))) {
                    ClientResults.ok(url, response.getStatusLine().getStatusCode() + " "
                            + EntityUtils.toString(response.getEntity()));
                } catch (Exception e) {
                    ClientResults.failed(url, e);
                }
            }
        }
    }
}
