package dev.mtls.benchmarks;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A profile file with many profiles, laid out as Kubernetes mounts a Secret: two versions of
 * every certificate and key in {@code v1/} and {@code v2/}, a {@code ..data} link to one of them,
 * and profiles that name files through {@code ..data}. {@link #flip()} swaps the link, changing
 * every identity at once, as a Secret update does; {@link #rotateFirst()} changes one.
 */
final class ManyProfiles {
    final Path dir;
    final Path profileFile;
    private final int count;
    private boolean onFirst = true;

    private ManyProfiles(Path dir, int count) {
        this.dir = dir;
        this.profileFile = dir.resolve("profiles.yaml");
        this.count = count;
    }

    static ManyProfiles create(int count) throws IOException, GeneralSecurityException {
        ManyProfiles profiles = new ManyProfiles(Files.createTempDirectory("mtls-reload-bench"), count);
        profiles.write();
        return profiles;
    }

    /** Points {@code ..data} at the other version, in one rename. */
    void flip() throws IOException {
        onFirst = !onFirst;
        Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of(onFirst ? "v1" : "v2"));
        Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Gives the first profile the other version's certificate and key, the rest stay as they are. */
    void rotateFirst() throws IOException {
        onFirst = !onFirst;
        String version = onFirst ? "v1" : "v2";
        Path linked = dir.resolve("..data");
        Files.copy(dir.resolve("spare").resolve(version + ".pem"), linked.resolve("p0.pem"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("spare").resolve(version + ".key"), linked.resolve("p0.key"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The profile file and every certificate and key it names. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(profileFile);
        for (int i = 0; i < count; i++) {
            files.add(dir.resolve("..data").resolve("p" + i + ".pem"));
            files.add(dir.resolve("..data").resolve("p" + i + ".key"));
        }
        return files;
    }

    private void write() throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        // One key per version keeps set-up quick; every certificate is still distinct.
        KeyPair[] keys = {generator.generateKeyPair(), generator.generateKeyPair()};
        String[] versions = {"v1", "v2"};
        for (int v = 0; v < versions.length; v++) {
            Path folder = Files.createDirectory(dir.resolve(versions[v]));
            for (int i = 0; i < count; i++) {
                X509Certificate certificate = certificate("p" + i + "-" + versions[v], keys[v], ca, v * count + i + 1);
                pem(folder.resolve("p" + i + ".pem"), "CERTIFICATE", certificate.getEncoded());
                Path key = pem(folder.resolve("p" + i + ".key"), "PRIVATE KEY", keys[v].getPrivate().getEncoded());
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
        }
        Files.createSymbolicLink(dir.resolve("..data"), Path.of("v1"));
        Path spare = Files.createDirectory(dir.resolve("spare"));
        for (String version : versions) {
            Files.copy(dir.resolve(version).resolve("p0.pem"), spare.resolve(version + ".pem"));
            Files.copy(dir.resolve(version).resolve("p0.key"), spare.resolve(version + ".key"));
        }
        StringBuilder yaml = new StringBuilder("version: 1\nprofiles:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  - name: p").append(i).append("\n    hosts: [p").append(i).append(".internal]\n")
                    .append("    identity: {certificate: ..data/p").append(i).append(".pem, key: ..data/p")
                    .append(i).append(".key}\n");
        }
        Files.writeString(profileFile, yaml, StandardCharsets.UTF_8);
    }

    private static X509Certificate certificate(String name, KeyPair subject, KeyPair issuer, long serial)
            throws GeneralSecurityException {
        Instant now = Instant.now();
        try {
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    new X500Name("CN=Benchmark CA"), BigInteger.valueOf(serial),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name("CN=" + name), subject.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n",
                StandardCharsets.US_ASCII);
    }
}
