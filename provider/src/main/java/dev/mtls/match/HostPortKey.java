package dev.mtls.match;

import java.util.Objects;

/** A host with a port, as a hash key; -1 stands for "no port". */
final class HostPortKey {
    private final String host;
    private final int port;

    HostPortKey(String host, int port) {
        this.host = host;
        this.port = port;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HostPortKey)) {
            return false;
        }
        HostPortKey that = (HostPortKey) other;
        return port == that.port && Objects.equals(host, that.host);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(host) + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
