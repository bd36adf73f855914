package dev.mtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code openssl ocsp} as an OCSP responder for one CA, from an index file in the format of
 * {@code openssl ca}'s database (status, expiry, revocation time and reason, serial): certificates
 * marked good or revoked answer so, any other serial "unknown". The index is either the one of an
 * {@link OpenSslCa} ({@link #of(OpenSslCa)}: {@code openssl ca -revoke} decides the answers, as an
 * operator's responder does) or one this class writes for a {@link TestPki} CA ({@link #good},
 * {@link #revoked}). It signs with the CA's key or with a delegated responder certificate. {@link #start()} runs it on a port the system picks (OpenSSL
 * 3.0's responder listens on every address; the tests only ever call it on 127.0.0.1);
 * {@link #writeResponse} makes a response offline, for a server to staple
 * ({@code s_server -status_file}).
 */
public final class OpenSslOcspResponder implements AutoCloseable {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT \\S*:(\\d+)");
    private static final DateTimeFormatter INDEX_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Path files;
    private final Path index;
    private final Path caFile;
    private final Path signerFile;
    private final Path signerKey;
    /** What this class writes into its own index; null when the index is an {@link OpenSslCa}'s. */
    private final List<String> entries;
    private Process process;
    private Path output;
    private int port;

    /** @param signer the CA itself, or a certificate it issued with id-kp-OCSPSigning */
    public OpenSslOcspResponder(Path directory, TestCertificate ca, TestCertificate signer) {
        try {
            files = Files.createTempDirectory(directory, "ocsp-");
            index = files.resolve("index.txt");
            caFile = ca.writeCertificate(files.resolve("ca.pem"));
            signerFile = signer.writeCertificate(files.resolve("signer.pem"));
            signerKey = signer.writePkcs8Key(files.resolve("signer.key"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries = new ArrayList<>();
    }

    private OpenSslOcspResponder(Path files, OpenSslCa ca) {
        this.files = files;
        index = ca.index();
        caFile = ca.certificateFile();
        signerFile = ca.certificateFile();
        signerKey = ca.keyFile();
        entries = null;
    }

    /** A responder for {@code ca} that reads its index and signs with its key, its files in a folder of its own. */
    public static OpenSslOcspResponder of(OpenSslCa ca) {
        try {
            return new OpenSslOcspResponder(Files.createTempDirectory(ca.index().getParent(), "ocsp-"), ca);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public OpenSslOcspResponder good(TestCertificate certificate) {
        ownIndex().add(entry("V", certificate, ""));
        return this;
    }

    /** @param reason as {@code openssl ca -crl_reason} takes it, e.g. keyCompromise */
    public OpenSslOcspResponder revoked(TestCertificate certificate, Instant when, String reason) {
        ownIndex().add(entry("R", certificate, INDEX_TIME.format(when) + "," + reason));
        return this;
    }

    private List<String> ownIndex() {
        if (entries == null) {
            throw new IllegalStateException("the responder reads the index of an OpenSslCa: revoke with the CA");
        }
        return entries;
    }

    /** Starts the responder; its answers carry a nextUpdate {@code minutes} ahead (0: none). */
    public OpenSslOcspResponder start(int minutes) {
        writeIndex();
        List<String> command = command(minutes);
        command.addAll(List.of("-port", "0"));
        try {
            output = files.resolve("ocsp.out");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            // Printed once it listens. No probe connection: OpenSSL 3.0's responder, one connection at a
            // time, stalls for good on a connection that closes without a request.
            port = OpenSslProcesses.awaitPort(process, output, ACCEPT, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** The responder's address on loopback. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Answers for {@code certificate} without a running responder, DER, into {@code file}; without a
     * nonce, as a server staples it or a responder pre-signs it.
     */
    public Path writeResponse(TestCertificate certificate, Path file, int minutes) {
        writeIndex();
        List<String> command = command(minutes);
        command.addAll(List.of("-issuer", caFile.toString(),
                "-cert", certificate.writeCertificate(files.resolve("request.pem")).toString(),
                "-respout", file.toString(), "-no_nonce"));
        ChildJvm.Result result;
        try {
            result = ChildJvm.run(command, java.util.Map.of(), 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (result.exitCode != 0 || !Files.isRegularFile(file)) {
            throw new IllegalStateException("openssl ocsp did not write a response: " + result);
        }
        return file;
    }

    /** Everything the responder printed. */
    public String log() {
        try {
            return output == null ? "" : Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + output + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            OpenSslProcesses.stop(process);
        }
    }

    private List<String> command(int minutes) {
        List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-index", index.toString(),
                "-CA", caFile.toString(), "-rsigner", signerFile.toString(), "-rkey", signerKey.toString(),
                "-ignore_err"));
        if (minutes > 0) {
            command.addAll(List.of("-nmin", Integer.toString(minutes)));
        }
        return command;
    }

    private void writeIndex() {
        if (entries == null) {
            return;
        }
        try {
            Files.write(index, entries, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String entry(String status, TestCertificate certificate, String revocation) {
        // The serial as openssl prints it (BN_bn2hex): upper case, whole bytes.
        String serial = certificate.certificate().getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        if (serial.length() % 2 != 0) {
            serial = "0" + serial;
        }
        return String.join("\t", status, INDEX_TIME.format(certificate.certificate().getNotAfter().toInstant()),
                revocation, serial, "unknown", "/" + certificate.subject().replace(',', '/'));
    }
}
