package dev.mtls.examples.demo;

import java.net.URI;

/** One HTTP client library, configured the way its documentation shows for plain HTTPS. */
interface ApiClient extends AutoCloseable {
    /** The name printed at the start of each of its lines. */
    String name();

    /** {@code GET uri}, reusing connections and TLS sessions as the library normally does. */
    Reply get(URI uri) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** A status code and the response body. */
    final class Reply {
        final int status;
        final String body;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }
}
