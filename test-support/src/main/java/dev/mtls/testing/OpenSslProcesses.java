package dev.mtls.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Starting and stopping the openssl servers the tests run ({@code s_server}, {@code ocsp}). */
final class OpenSslProcesses {
    private OpenSslProcesses() {
    }

    /**
     * The port in the first match of {@code accept} in what the process printed to {@code output},
     * waiting up to 20 s; the process is stopped and the failure says why when it never comes.
     */
    static int awaitPort(Process process, Path output, Pattern accept, List<String> command) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Matcher matcher = accept.matcher(Files.readString(output, StandardCharsets.UTF_8));
            if (matcher.find()) {
                return Integer.parseInt(matcher.group(1));
            }
            if (!process.isAlive()) {
                break;
            }
            sleep(20);
        }
        stop(process);
        throw new IllegalStateException(String.join(" ", command) + " did not start listening: "
                + Files.readString(output, StandardCharsets.UTF_8));
    }

    static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
