package dev.mtls.agent.cli;

/** {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6 literal, as typed by an operator. */
final class HostAndPort {
    private final String host;
    private final int port;

    private HostAndPort(String host, int port) {
        this.host = host;
        this.port = port;
    }

    static HostAndPort parse(String text) throws CommandArguments.UsageException {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new CommandArguments.UsageException("missing ']' in " + text);
            }
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                return new HostAndPort(text.substring(1, close), -1);
            }
            if (!rest.startsWith(":")) {
                throw new CommandArguments.UsageException("expected ':PORT' after ']' in " + text);
            }
            return new HostAndPort(text.substring(1, close), port(rest.substring(1), text));
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            // No colon: a name; several: a bare IPv6 literal, which cannot carry a port.
            return new HostAndPort(text, -1);
        }
        return new HostAndPort(text.substring(0, colon), port(text.substring(colon + 1), text));
    }

    private static int port(String digits, String text) throws CommandArguments.UsageException {
        try {
            int port = Integer.parseInt(digits);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandArguments.UsageException("bad port in " + text + " (expected 1-65535)");
    }

    String host() {
        return host;
    }

    /** This host with {@code defaultPort} when no port was given. */
    HostAndPort orPort(int defaultPort) {
        return port < 0 ? new HostAndPort(host, defaultPort) : this;
    }

    /** The port, or -1 when none was given (then only patterns without a port can match). */
    int port() {
        return port;
    }

    @Override
    public String toString() {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port < 0 ? shown : shown + ":" + port;
    }
}
