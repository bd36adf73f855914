package dev.mtls.benchmarks.startup;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;

/**
 * The application whose start-up is timed: one HTTPS request with the JDK's own client, nothing
 * else. It knows nothing of the agent; trust and (for the baseline) the key come from the
 * {@code javax.net.ssl.*} properties. Prints what the server answered and the CPU time the whole
 * process (every thread) has used so far and its peak resident set, which the harness reads.
 * With the argument {@code hello} it makes no request at all.
 */
public final class StartupClient {
    private StartupClient() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("hello")) {
            // No TLS at all: what the agent costs a JVM that never makes a TLS call.
            System.out.println("cpuMillis=" + ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO)
                    .toMillis());
            System.out.println("peakRssKiB=" + peakRssKiB());
            return;
        }
        requestAndReport((HttpsURLConnection) new URL(args[0]).openConnection());
    }

    /** Makes the request, then prints the answer (the subject the server saw), CPU time and peak RSS. */
    static void requestAndReport(HttpsURLConnection connection) throws IOException {
        String body;
        try (InputStream in = connection.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
        System.out.println("subject=" + body);
        System.out.println("cpuMillis=" + cpu.toMillis());
        System.out.println("peakRssKiB=" + peakRssKiB());
    }

    /** The process's peak resident set so far (Linux's VmHWM), or -1 where there is no /proc. */
    private static long peakRssKiB() {
        try (InputStream in = new FileInputStream("/proc/self/status")) {
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int at = status.indexOf("VmHWM:");
            if (at < 0) {
                return -1;
            }
            int end = status.indexOf('\n', at);
            return Long.parseLong(status.substring(at + "VmHWM:".length(), end).replace("kB", "").trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
