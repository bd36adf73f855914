package dev.mtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_client}: a TLS client independent of the JDK's, against a server on 127.0.0.1.
 * It sends one request line and waits for the server to close ({@code -ign_eof}); the result holds
 * what a user reads in its output: the server's certificate, whether the session was resumed,
 * the alert, and the server's answer.
 */
public final class OpenSslClient {
    public static final String HTTP_GET = "GET / HTTP/1.0\r\n\r\n";
    public static final String LINE = "hello\n";
    private static final Pattern ANSWER = Pattern.compile("client: (none|CN=[^\\r\\n]*)");
    private static final Pattern SUBJECT = Pattern.compile("(?m)^subject=(.*)$");

    private final Path directory;
    private final List<String> options = new ArrayList<>();

    private OpenSslClient(Path directory) {
        this.directory = directory;
    }

    /** @param protocol "tls1_2" or "tls1_3" */
    public static OpenSslClient tls(Path directory, String protocol) {
        OpenSslClient client = new OpenSslClient(directory);
        client.options.add("-" + protocol);
        return client;
    }

    /** Presents this certificate (its chain and PKCS#8 key, written beside the test's files). */
    public OpenSslClient certificate(TestCertificate certificate, String name) {
        options.addAll(List.of("-cert", certificate.writeChain(directory.resolve(name + "-chain.pem")).toString(),
                "-key", certificate.writePkcs8Key(directory.resolve(name + ".key")).toString()));
        return this;
    }

    /** Saves the session for a later {@link #resuming}. */
    public OpenSslClient savingSession(Path file) {
        options.addAll(List.of("-sess_out", file.toString()));
        return this;
    }

    public OpenSslClient resuming(Path file) {
        options.addAll(List.of("-sess_in", file.toString()));
        return this;
    }

    /**
     * @param request sent as it is, e.g. {@link #HTTP_GET}; a server that answers and closes must have
     *        read all of it, or its close resets the connection and the answer is lost
     */
    public Result call(int port, String request) {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-ign_eof"));
        command.addAll(options);
        try {
            // Apart: s_client's diagnostics on stderr would otherwise land in the middle of the answer.
            Path out = Files.createTempFile(directory, "s_client", ".out");
            Path err = Files.createTempFile(directory, "s_client", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            process.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("openssl s_client did not end within 30 s: " + command);
            }
            return new Result(Files.readString(out, StandardCharsets.UTF_8) + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** What s_client printed. */
    public static final class Result {
        public final String output;

        Result(String output) {
            this.output = output;
        }

        /** The server certificate's subject as s_client prints it ("CN = name"), or "" when none was received. */
        public String serverSubject() {
            Matcher matcher = SUBJECT.matcher(output);
            return matcher.find() ? matcher.group(1).trim() : "";
        }

        /**
         * The server's answer, "client: ..." , or null when the connection carried none. Found
         * anywhere in the output: s_client prints a TLS 1.3 ticket's details as it arrives, which
         * may be in the middle of a line of the answer's.
         */
        public String answer() {
            Matcher matcher = ANSWER.matcher(output);
            return matcher.find() ? matcher.group() : null;
        }

        public boolean resumed() {
            return output.contains("Reused, TLS");
        }

        @Override
        public String toString() {
            return output;
        }
    }

}
