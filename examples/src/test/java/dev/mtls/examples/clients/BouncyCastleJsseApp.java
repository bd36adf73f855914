package dev.mtls.examples.clients;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * An application that makes Bouncy Castle its JSSE provider as BC's user guide shows (BC's
 * crypto provider first, BCJSSE second, both ahead of the JDK's), then calls each URL twice with {@code HttpsURLConnection}: at
 * {@code URL/tls12} through {@code SSLContext.getInstance("TLSv1.2")} initialised with
 * {@code init(null, null, null)}, and at {@code URL/default} through the default context, which
 * negotiates TLS 1.3. Usage: {@code BouncyCastleJsseApp URL...}
 */
public final class BouncyCastleJsseApp {
    private BouncyCastleJsseApp() {
    }

    public static void main(String[] urls) throws Exception {
        Security.insertProviderAt(new BouncyCastleProvider(), 1);
        Security.insertProviderAt(new BouncyCastleJsseProvider(), 2);
        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, null, null);
        ClientResults.info("context-provider", tls12.getProvider().getName());
        ClientResults.info("context-provider", SSLContext.getDefault().getProvider().getName());
        for (String url : urls) {
            call(url + "/tls12", tls12.getSocketFactory());
            call(url + "/default", SSLContext.getDefault().getSocketFactory());
        }
    }

    private static void call(String url, SSLSocketFactory sockets) {
        try {
            HttpsURLConnection connection = (HttpsURLConnection) new URL(url).openConnection();
            connection.setSSLSocketFactory(sockets);
            try (InputStream in = connection.getInputStream()) {
                ClientResults.ok(url, connection.getResponseCode() + " "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            ClientResults.failed(url, e);
        }
    }
}
