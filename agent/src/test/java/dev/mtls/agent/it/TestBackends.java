package dev.mtls.agent.it;

import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;

/**
 * Two JDK HttpsServers on 127.0.0.1, in the test JVM (which runs no agent): one that requires a
 * client certificate, one that only asks for one. Each records, per request path, the subject of
 * the client certificate it received, or "none"; the tests assert on what the server saw.
 */
final class TestBackends implements AutoCloseable {
    static final String NONE = ServerReport.NONE;

    final JdkTlsServer required;
    final JdkTlsServer optional;

    TestBackends(TestCertificate server, TestCertificate clientCa) {
        required = JdkTlsServer.requiringClientCertificate(server, clientCa);
        optional = JdkTlsServer.askingForClientCertificate(server, clientCa);
    }

    /** A URL on the server that requires a client certificate. */
    String requiredUrl(String host, String path) {
        return required.url(host, path);
    }

    /** A URL on the server that asks for a client certificate but accepts a handshake without one. */
    String optionalUrl(String host, String path) {
        return optional.url(host, path);
    }

    /** The client certificate subject the servers saw for a path, "none", or null when no request arrived. */
    String subjectSeen(String path) {
        String subject = required.subjectSeen(path);
        return subject != null ? subject : optional.subjectSeen(path);
    }

    @Override
    public void close() {
        required.close();
        optional.close();
    }
}
