package dev.mtls.benchmarks.handshake;

import dev.mtls.benchmarks.ChildKeyStores;
import dev.mtls.benchmarks.InMemoryHandshakes;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * The server application whose handshakes {@link ServerHandshakeBenchmark} counts, in a child JVM:
 * a server {@code SSLEngine} and a client {@code SSLEngine} in memory on one thread. {@code app}:
 * the server requires client certificates itself ({@code setNeedClientAuth(true)}, a trust manager
 * over the client CA). {@code agent}: the server is written with no client auth at all (its key,
 * no trust managers) and runs under the agent, whose {@code mandatory} listener forces it. Before
 * counting it proves both halves of "required": the server reports the subject of a client with a
 * certificate, and a client without one is refused. Then it warms up and prints one rate per slice.
 *
 * <p>Arguments: {@code app|agent|agent-own-trust DIR PROTOCOL WARMUP_SECONDS SLICES SLICE_SECONDS}; DIR holds
 * server.p12, client.p12 and truststore.p12 ({@link ChildKeyStores}).
 */
public final class ServerHandshakeChild {
    private ServerHandshakeChild() {
    }

    public static void main(String[] args) throws Exception {
        boolean appRequires = args[0].equals("app");
        Path dir = Path.of(args[1]);
        String protocol = args[2];
        double warmup = Double.parseDouble(args[3]);
        int slices = Integer.parseInt(args[4]);
        double seconds = Double.parseDouble(args[5]);
        javax.net.ssl.TrustManager[] trust = ChildKeyStores.trustManagers(dir.resolve("truststore.p12"));

        SSLContext server = SSLContext.getInstance(protocol);
        // Written as an application without client auth writes it: its key, the JDK's default trust.
        // "agent-own-trust": under the agent, but passing the client CA's trust (without asking for certificates).
        server.init(ChildKeyStores.keyManagers(dir.resolve("server.p12")),
                appRequires || args[0].equals("agent-own-trust") ? trust : null, null);
        SSLContext client = SSLContext.getInstance(protocol);
        client.init(ChildKeyStores.keyManagers(dir.resolve("client.p12")), trust, null);
        SSLContext anonymous = SSLContext.getInstance(protocol);
        anonymous.init(null, trust, null);

        InMemoryHandshakes handshakes = new InMemoryHandshakes(client, server, appRequires);
        X509Certificate seen = (X509Certificate) handshakes.handshake().getPeerCertificates()[0];
        System.out.println("subject=" + seen.getSubjectX500Principal().getName());
        System.out.println("protocol=" + handshakes.handshake().getProtocol());
        try {
            new InMemoryHandshakes(anonymous, server, appRequires).handshake();
            System.out.println("refused=no");
        } catch (SSLException expected) {
            System.out.println("refused=" + expected.getMessage());
        }
        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < warmupEnd) {
            handshakes.handshake();
        }
        for (int slice = 0; slice < slices; slice++) {
            double[] result = handshakes.run(seconds);
            System.out.println("rate=" + result[0]);
            System.out.println("cpu=" + result[1]);
        }
    }
}
