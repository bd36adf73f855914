package dev.mtls.itapps;

import javax.net.ssl.SSLContext;

/**
 * An application whose only TLS is initialising one {@code SSLContext}: the first use of TLS, at
 * which the agent reads its profile file. No connection is made.
 */
public final class TlsInitApp {
    public static final String HELLO = "hello after initialising an SSLContext";

    private TlsInitApp() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext.getInstance("TLS").init(null, null, null);
        System.out.println(HELLO);
    }
}
