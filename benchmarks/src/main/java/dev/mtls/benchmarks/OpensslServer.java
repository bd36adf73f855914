package dev.mtls.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_server -Verify 1 -www} on 127.0.0.1 and a port the system picks: a TLS stack
 * independent of the JDK's that requires a client certificate from the benchmark CA. One
 * connection at a time, in C, so on loopback the client side is what limits the rate. Its status
 * page says "New" or "Reused" and shows the client certificate it received.
 */
public final class OpensslServer implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;
    private final int port;

    public OpensslServer(Path directory, BenchmarkPki pki, BenchmarkPki.Issued server)
            throws IOException, java.security.GeneralSecurityException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0",
                "-cert", server.writeChain(directory.resolve("server-chain.pem")).toString(),
                "-key", server.writeKey(directory.resolve("server.key")).toString(),
                "-CAfile", pki.writeCertificate(directory.resolve("ca.pem")).toString(),
                "-Verify", "1", "-verify_return_error", "-www"));
        output = directory.resolve("s_server.out");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        port = awaitPort(command);
    }

    private int awaitPort(List<String> command) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher accept = ACCEPT.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (accept.find()) {
                return Integer.parseInt(accept.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException(String.join(" ", command) + " did not start listening: "
                + Files.readString(output, StandardCharsets.UTF_8));
    }

    public String url(String path) {
        return "https://localhost:" + port + path;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
