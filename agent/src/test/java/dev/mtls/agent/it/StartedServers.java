package dev.mtls.agent.it;

import dev.mtls.testing.TlsTestServer;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers a test class starts once for all its cases. Each goes on the list as it starts, so
 * that a failure while starting the next still stops the ones before.
 */
final class StartedServers implements AutoCloseable {
    private final List<TlsTestServer> servers = new ArrayList<>();

    <T extends TlsTestServer> T add(T server) {
        servers.add(server);
        return server;
    }

    /** In the order they started. */
    List<TlsTestServer> all() {
        return servers;
    }

    @Override
    public void close() {
        for (TlsTestServer server : servers) {
            server.close();
        }
        servers.clear();
    }
}
