package dev.mtls.itapps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;

/**
 * A running application that an agent is attached to: it loads SSLContext first (so the agent
 * must retransform it), says "ready", and on each URL read from stdin calls it with the
 * {@code init(null, tm, null)} style of {@link HttpsClientApp}; an empty line ends it.
 */
public final class WaitingClientApp {
    private WaitingClientApp() {
    }

    public static void main(String[] args) throws Exception {
        SSLContext.getInstance("TLS");
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            HttpsClientApp.main(new String[] {"init-null-keymanager", line});
            System.out.println("done");
            System.out.flush();
        }
    }
}
