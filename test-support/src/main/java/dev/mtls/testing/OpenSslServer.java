package dev.mtls.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code openssl s_server -www}: a TLS stack independent of the JDK's, as a server that requires
 * ({@code -Verify 1}) or only asks for ({@code -verify 1}) a client certificate from
 * {@code clientCa}; a certificate that does not chain to it fails the handshake
 * ({@code -verify_return_error}). It listens on 127.0.0.1, on a port the system picks, one
 * connection at a time. Its status page shows the negotiated protocol and, after "Client
 * certificate", the PEM of the certificate the client sent, or "no client certificate available".
 */
public final class OpenSslServer implements TlsTestServer {
    /**
     * s_server ends each page with a close_notify and keeps the connection open until the client
     * sends its own. In TLS 1.3 the JDK does not answer a close_notify unless told to, and JDK 17's
     * HttpClient then waits forever for the end of the body (17.0.15, with no agent at all).
     */
    public static final String CLIENT_JVM_ARGUMENT = "-Djdk.tls.acknowledgeCloseNotify=true";

    private static final Pattern ACCEPT = Pattern.compile("ACCEPT 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern PROTOCOL = Pattern.compile("Protocol\\s*: (\\S+)");
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private final Process process;
    private final Path output;
    private final int port;

    private OpenSslServer(Path directory, TestCertificate certificate, TestCertificate clientCa, String verify,
            String... options) {
        try {
            Path files = Files.createTempDirectory(directory, "openssl-");
            List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:0",
                    "-cert", certificate.writeChain(files.resolve("server-chain.pem")).toString(),
                    "-key", certificate.writePkcs8Key(files.resolve("server.key")).toString(),
                    "-CAfile", TestPki.writePem(files.resolve("client-ca.pem"), clientCa.certificate()).toString(),
                    verify, "1", "-verify_return_error", "-www"));
            command.addAll(List.of(options));
            output = files.resolve("s_server.out");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            port = OpenSslProcesses.awaitPort(process, output, ACCEPT, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Extra {@code options} go to s_server as they are, e.g. "-tls1_2", "-cipher", "DEFAULT@SECLEVEL=0". */
    public static OpenSslServer requiringClientCertificate(Path directory, TestCertificate certificate,
            TestCertificate clientCa, String... options) {
        return new OpenSslServer(directory, certificate, clientCa, "-Verify", options);
    }

    public static OpenSslServer askingForClientCertificate(Path directory, TestCertificate certificate,
            TestCertificate clientCa, String... options) {
        return new OpenSslServer(directory, certificate, clientCa, "-verify", options);
    }

    @Override
    public String kind() {
        return "openssl s_server";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public ServerReport report(String responseBody) {
        Matcher protocol = PROTOCOL.matcher(responseBody);
        int clientCertificate = responseBody.indexOf("Client certificate");
        if (!protocol.find()) {
            return null;
        }
        if (clientCertificate < 0) {
            return responseBody.contains("no client certificate available")
                    ? new ServerReport(ServerReport.NONE, protocol.group(1)) : null;
        }
        int begin = responseBody.indexOf(BEGIN, clientCertificate);
        int end = responseBody.indexOf(END, begin);
        if (begin < 0 || end < 0) {
            return null;
        }
        String pem = responseBody.substring(begin, end + END.length());
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            return new ServerReport(certificate.getSubjectX500Principal().getName(), protocol.group(1));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("s_server's page has a certificate the JDK cannot read: " + pem, e);
        }
    }

    /** Everything s_server printed: its start, and per connection what it verified or why it failed. */
    public String log() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        OpenSslProcesses.stop(process);
    }
}
