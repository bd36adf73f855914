package dev.mtls.testing;

/**
 * A TLS server of the tests, on 127.0.0.1, whose certificate names localhost and 127.0.0.1; it
 * answers every GET with a page that says what it saw in the handshake. The JDK's
 * ({@link JdkTlsServer}) and OpenSSL's ({@link OpenSslServer}), so a test can run against both stacks.
 */
public interface TlsTestServer extends AutoCloseable {
    /** "JDK HttpsServer", "openssl s_server". */
    String kind();

    int port();

    default String url(String host, String path) {
        return "https://" + host + ":" + port() + path;
    }

    /** What the page a client received says, or null when the body is not this server's page. */
    ServerReport report(String responseBody);

    @Override
    void close();
}
