package dev.mtls.examples.demo;

import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/** One HTTP client library, configured the way its documentation shows for plain HTTPS. */
interface ApiClient extends AutoCloseable {
    /** The name printed at the start of each of its lines. */
    String name();

    /** {@code GET uri}, reusing connections and TLS sessions as the library normally does. */
    Reply get(URI uri) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** A status code, the response body, and the subject of the server certificate the client received. */
    final class Reply {
        final int status;
        final String body;
        final String server;

        Reply(int status, String body, Certificate[] serverChain) {
            this.status = status;
            this.body = body;
            this.server = serverChain != null && serverChain.length > 0 && serverChain[0] instanceof X509Certificate
                    ? ((X509Certificate) serverChain[0]).getSubjectX500Principal().getName()
                    : "(no server certificate)";
        }
    }
}
