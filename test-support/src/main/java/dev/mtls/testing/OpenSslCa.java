package dev.mtls.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CA run by the {@code openssl} command line, as an operator runs one: {@code openssl ca} with an
 * index file ({@code index.txt}) issues certificates, {@code -revoke} marks them revoked with a
 * reason, {@code -gencrl} writes the CRL. Everything lives in its own folder; keys are EC P-256,
 * made at test time. The index, the CA's certificate and key files are what {@code openssl ocsp
 * -index … -CA … -rsigner … -rkey …} needs for a responder on the same CA.
 *
 * <pre>
 * OpenSslCa ca = OpenSslCa.create(dir.resolve("ca"), "Backend CA");
 * TestCertificate server = ca.issueServer("backend", "localhost", "127.0.0.1");
 * ca.revoke(server, "keyCompromise");
 * ca.writeCrl(dir.resolve("backend.crl"));      // PEM; writeCrlDer for DER
 * ca.unrevoke(server);                          // back to valid in the index; the next CRL omits it
 * </pre>
 */
public final class OpenSslCa {
    private final Path folder;
    private final Path config;
    private final TestCertificate certificate;
    private String ocspUrl;

    private OpenSslCa(Path folder, Path config, TestCertificate certificate) {
        this.folder = folder;
        this.config = config;
        this.certificate = certificate;
    }

    /** A self-signed CA, valid for 30 days, in {@code folder} (created). */
    public static OpenSslCa create(Path folder, String commonName) {
        try {
            Files.createDirectories(folder.resolve("certs"));
            Files.writeString(folder.resolve("index.txt"), "");
            Files.writeString(folder.resolve("serial"), "1000\n");
            Files.writeString(folder.resolve("crlnumber"), "1000\n");
            Path config = Files.writeString(folder.resolve("openssl.cnf"), String.join("\n",
                    "[ ca ]",
                    "default_ca = test_ca",
                    "[ test_ca ]",
                    "dir = " + folder.toAbsolutePath(),
                    "database = $dir/index.txt",
                    "new_certs_dir = $dir/certs",
                    "certificate = $dir/ca.pem",
                    "private_key = $dir/ca.key",
                    "serial = $dir/serial",
                    "crlnumber = $dir/crlnumber",
                    "default_md = sha256",
                    "default_days = 30",
                    "default_crl_days = 1",
                    "policy = policy_any",
                    "unique_subject = no",
                    "copy_extensions = none",
                    "[ policy_any ]",
                    "commonName = supplied",
                    "organizationName = optional",
                    ""));
            run("openssl", "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", folder.resolve("ca.key").toString(), "-out",
                    folder.resolve("ca.pem").toString(), "-days", "30", "-subj", "/CN=" + commonName,
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            return new OpenSslCa(folder, config, read(folder, "ca", null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Certificates issued from now on carry this OCSP responder in their AIA extension. */
    public OpenSslCa ocspUrl(String url) {
        this.ocspUrl = url;
        return this;
    }

    /** The CA's certificate (and key), e.g. as the trust of a profile or the client CA of a server. */
    public TestCertificate certificate() {
        return certificate;
    }

    public Path certificateFile() {
        return folder.resolve("ca.pem");
    }

    public Path keyFile() {
        return folder.resolve("ca.key");
    }

    /** {@code openssl ca}'s database: one line per certificate issued, V(alid) or R(evoked). */
    public Path index() {
        return folder.resolve("index.txt");
    }

    /** A TLS server certificate (serverAuth) with these DNS names and IP addresses as subjectAltName. */
    public TestCertificate issueServer(String commonName, String... names) {
        return issue(commonName, "serverAuth", names);
    }

    /** A TLS client certificate (clientAuth). */
    public TestCertificate issueClient(String commonName) {
        return issue(commonName, "clientAuth");
    }

    /** {@code openssl ca -revoke} with an RFC 5280 reason name, e.g. keyCompromise, superseded. */
    public void revoke(TestCertificate issued, String reason) {
        run("openssl", "ca", "-config", config.toString(), "-revoke", pemOf(issued).toString(),
                "-crl_reason", reason);
    }

    /**
     * Marks a revoked certificate valid again in the index (openssl has no command for it; the
     * index is its documented text format). The next CRL no longer lists it.
     */
    public void unrevoke(TestCertificate issued) {
        String serial = serialOf(issued);
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(index(), StandardCharsets.UTF_8)) {
                String[] fields = line.split("\t", -1);
                if (fields.length >= 4 && fields[3].equalsIgnoreCase(serial) && fields[0].equals("R")) {
                    fields[0] = "V";
                    fields[2] = "";
                    line = String.join("\t", fields);
                }
                lines.add(line);
            }
            Files.write(index(), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code openssl ca -gencrl}, current for a day, PEM, put in place as one rename (a reader
     * never sees half a file).
     */
    public Path writeCrl(Path file) {
        Path fresh = folder.resolve("fresh.crl");
        run("openssl", "ca", "-config", config.toString(), "-gencrl", "-crldays", "1", "-out",
                fresh.toString());
        return moveInto(fresh, file);
    }

    /** As {@link #writeCrl}, converted to DER with {@code openssl crl -outform DER}. */
    public Path writeCrlDer(Path file) {
        Path pem = writeCrl(folder.resolve("der-source.crl"));
        Path der = folder.resolve("fresh.der");
        run("openssl", "crl", "-in", pem.toString(), "-outform", "DER", "-out", der.toString());
        return moveInto(der, file);
    }

    private TestCertificate issue(String commonName, String purpose, String... names) {
        String name = commonName.replaceAll("[^A-Za-z0-9.-]", "_");
        try {
            List<String> extensions = new ArrayList<>(List.of("[ leaf ]", "basicConstraints = critical,CA:FALSE",
                    "keyUsage = critical,digitalSignature", "extendedKeyUsage = " + purpose));
            if (names.length > 0) {
                List<String> alternatives = new ArrayList<>();
                for (String alternative : names) {
                    alternatives.add((alternative.matches("[0-9.]+|.*:.*") ? "IP:" : "DNS:") + alternative);
                }
                extensions.add("subjectAltName = " + String.join(",", alternatives));
            }
            if (ocspUrl != null) {
                extensions.add("authorityInfoAccess = OCSP;URI:" + ocspUrl);
            }
            Path extensionFile = Files.write(folder.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
            String csr = folder.resolve(name + ".csr").toString();
            run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", folder.resolve(name + ".key").toString(), "-out", csr, "-subj", "/CN=" + commonName);
            run("openssl", "ca", "-batch", "-notext", "-config", config.toString(), "-in", csr,
                    "-out", folder.resolve(name + ".pem").toString(), "-extfile", extensionFile.toString(),
                    "-extensions", "leaf");
            return read(folder, name, certificate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issued certificate's own PEM file in the CA's folder. */
    private Path pemOf(TestCertificate issued) {
        Path file = folder.resolve("certs").resolve(serialOf(issued) + ".pem");
        return Files.exists(file) ? file : TestPki.writePem(folder.resolve(serialOf(issued) + "-copy.pem"),
                issued.certificate());
    }

    private static String serialOf(TestCertificate issued) {
        String hex = issued.certificate().getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static TestCertificate read(Path folder, String name, TestCertificate issuer) {
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(folder.resolve(name + ".pem"))));
            String pem = Files.readString(folder.resolve(name + ".key"), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return new TestCertificate(new KeyPair(certificate.getPublicKey(), key), certificate, issuer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("openssl wrote " + name + " in a form the JDK cannot read", e);
        }
    }

    private static Path moveInto(Path fresh, Path file) {
        try {
            Path staged = Files.copy(fresh, file.resolveSibling(file.getFileName() + ".new"),
                    StandardCopyOption.REPLACE_EXISTING);
            return Files.move(staged, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String... command) {
        try {
            ChildJvm.Result result = ChildJvm.run(List.of(command), Map.of(), 60);
            if (result.exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + result);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "openssl CA " + certificate.subject() + " in " + folder;
    }
}
