package dev.mtls.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SoftHSM2 token made at test time: its own token folder and configuration file (SoftHSM2 finds
 * it through {@code SOFTHSM2_CONF}), initialised with {@code softhsm2-util}, keys and certificates
 * written with {@code pkcs11-tool} (OpenSC) exactly as an operator would import them.
 *
 * <p>SoftHSM2 reads its configuration once per process, when the library is first loaded, so a
 * JVM that loads the library itself (a provider unit test) must have {@code SOFTHSM2_CONF} set
 * from its start: the first {@link #create(Path, String, String)} of a JVM writes a fresh configuration
 * at that path when it is set (a new token folder beside it), else in the given folder; give a child JVM {@link #environment()}.
 */
public final class SoftHsmToken {
    public static final String SO_PIN = "so-secret-5678";
    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");
    /** The configuration this JVM wrote, so a second token goes beside the first. */
    private static Path written;

    private final Path config;
    private final String label;
    private final String pin;
    private final long slot;
    private final Path work;

    private SoftHsmToken(Path config, String label, String pin, long slot, Path work) {
        this.config = config;
        this.label = label;
        this.pin = pin;
        this.slot = slot;
        this.work = work;
    }

    /** The SoftHSM2 module: {@code SOFTHSM2_LIB}, else Debian's path. */
    public static Path library() {
        String configured = System.getenv("SOFTHSM2_LIB");
        return Path.of(configured != null && !configured.isBlank() ? configured : "/usr/lib/softhsm/libsofthsm2.so");
    }

    /** Whether SoftHSM2 and OpenSC are installed (tests that need them are skipped otherwise). */
    public static boolean available() {
        return Files.isRegularFile(library()) && onPath("softhsm2-util") && onPath("pkcs11-tool");
    }

    /**
     * Initialises a new token with this label and user PIN, in the token folder of the
     * configuration {@code SOFTHSM2_CONF} names (written when missing), else of a new
     * configuration in {@code directory}.
     */
    public static SoftHsmToken create(Path directory, String label, String pin) {
        try {
            String fromEnvironment = System.getenv("SOFTHSM2_CONF");
            Path config = fromEnvironment != null && !fromEnvironment.isBlank() ? Path.of(fromEnvironment)
                    : directory.resolve("softhsm2.conf");
            synchronized (SoftHsmToken.class) {
                // Written afresh by the first token of each JVM: an earlier run's tokens stay out of sight.
                if (!config.equals(written)) {
                    Path tokens = Files.createTempDirectory(Files.createDirectories(config.toAbsolutePath().getParent()),
                            "tokens-");
                    Files.writeString(config, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
                            + "log.level = ERROR\nslots.removable = false\n", StandardCharsets.UTF_8);
                    written = config;
                }
            }
            Path work = Files.createDirectories(directory.resolve("softhsm-" + label));
            String output = run(config, List.of("softhsm2-util", "--init-token", "--free", "--label", label,
                    "--pin", pin, "--so-pin", SO_PIN));
            Matcher matcher = SLOT.matcher(output);
            if (!matcher.find()) {
                throw new AssertionError("softhsm2-util printed no slot: " + output);
            }
            return new SoftHsmToken(config, label, pin, Long.parseLong(matcher.group(1)), work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path config() {
        return config;
    }

    public String label() {
        return label;
    }

    public String pin() {
        return pin;
    }

    /** The slot ID SoftHSM2 gave the token. */
    public long slot() {
        return slot;
    }

    /** What a child JVM needs to see this token. */
    public Map<String, String> environment() {
        return Map.of("SOFTHSM2_CONF", config.toString());
    }

    /** Writes the private key and its certificate chain under {@code label}, with the CKA_ID {@code id} (hex). */
    public SoftHsmToken importIdentity(String label, String id, TestCertificate identity) {
        Path key = work.resolve(label + "-" + id + ".key.der");
        write(key, identity.privateKey().getEncoded());
        pkcs11(List.of("--write-object", key.toString(), "--type", "privkey", "--label", label, "--id", id));
        writeCertificate(label, id, identity.certificate());
        // The CA certificates too, under their own labels: the JDK's keystore builds the chain from them.
        List<X509Certificate> chain = identity.chain();
        for (int i = 1; i < chain.size(); i++) {
            writeCertificate(label + "-ca" + i, id + "c" + i, chain.get(i));
        }
        return this;
    }

    /** Replaces the certificate under {@code label} (same CKA_ID): a renewal of the same key. */
    public SoftHsmToken replaceCertificate(String label, String id, X509Certificate certificate) {
        deleteCertificate(label);
        return writeCertificate(label, id, certificate);
    }

    /** Deletes the certificate under {@code label}: the first half of a renewal done by hand. */
    public SoftHsmToken deleteCertificate(String label) {
        pkcs11(List.of("--delete-object", "--type", "cert", "--label", label));
        return this;
    }

    /** Deletes the private key under {@code label}: a key gone from the token while a JVM holds its handle. */
    public SoftHsmToken deleteKey(String label) {
        pkcs11(List.of("--delete-object", "--type", "privkey", "--label", label));
        return this;
    }

    /** Writes a certificate under {@code label} with the CKA_ID {@code id} (hex). */
    public SoftHsmToken writeCertificate(String label, String id, X509Certificate certificate) {
        Path file = work.resolve(label + "-" + id + "-" + certificate.getSerialNumber() + ".crt.der");
        try {
            write(file, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        pkcs11(List.of("--write-object", file.toString(), "--type", "cert", "--label", label, "--id", id));
        return this;
    }

    private String pkcs11(List<String> arguments) {
        // By slot: pkcs11-tool's --token-label also takes a token whose label only starts with it.
        List<String> command = new ArrayList<>(List.of("pkcs11-tool", "--module", library().toString(),
                "--slot", Long.toString(slot), "--login", "--pin", pin));
        command.addAll(arguments);
        return run(config, command);
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path config, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("SOFTHSM2_CONF", config.toString());
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not end within 60 s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(command.get(0) + " " + command.get(command.size() - 1) + " failed ("
                        + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }
}
