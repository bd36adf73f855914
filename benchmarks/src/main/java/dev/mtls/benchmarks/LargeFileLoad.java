package dev.mtls.benchmarks;

import dev.mtls.reload.ProfileWatcher;
import dev.mtls.reload.ReloadOutcome;
import dev.mtls.reload.WatchSettings;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * How long large but legal profile files take to load: one profile with 10,000 and 100,000
 * hosts, 10,000 profiles of 10 hosts each, and the largest file the 4 MiB limit allows (one
 * profile, about 150,000 hosts). For each: the loader alone (what {@code check} and the agent's
 * start do), then the reload path (a watcher's first check, and a check after the file changed,
 * which parses again and takes the unchanged profiles over). Trust-only profiles sharing one CA
 * file, so that the times are the file's and not key-pair checks. Prints one line per case;
 * asserts nothing: see docs/PERFORMANCE.md, "Large profile files".
 */
public final class LargeFileLoad {
    private LargeFileLoad() {
    }

    /** Usage: {@code LargeFileLoad [--load-only] [10k] [100k] [profiles] [largest]}; no case names all four. */
    public static void main(String[] args) throws Exception {
        List<String> cases = new ArrayList<>(List.of(args));
        boolean loadOnly = cases.remove("--load-only");
        if (cases.isEmpty()) {
            cases.addAll(List.of("10k", "100k", "profiles", "largest"));
        }
        Path dir = Files.createTempDirectory("mtls-large-file");
        writeCa(dir.resolve("ca.pem"));
        System.out.printf("%-34s %10s %8s %10s %12s %12s%n", "case", "bytes", "hosts", "load ms", "1st check ms",
                "re-check ms");
        for (String name : cases) {
            switch (name) {
                case "10k":
                    run(dir, "1 profile, 10,000 hosts", 1, 10_000, Integer.MAX_VALUE, loadOnly);
                    break;
                case "100k":
                    run(dir, "1 profile, 100,000 hosts", 1, 100_000, Integer.MAX_VALUE, loadOnly);
                    break;
                case "profiles":
                    run(dir, "10,000 profiles, 10 hosts each", 10_000, 10, Integer.MAX_VALUE, loadOnly);
                    break;
                case "largest":
                    run(dir, "largest file under 4 MiB", 1, Integer.MAX_VALUE, 4 * 1024 * 1024 - 64 * 1024, loadOnly);
                    break;
                default:
                    throw new IllegalArgumentException("unknown case " + name);
            }
        }
    }

    private static void run(Path dir, String label, int profiles, int hostsEach, int maxBytes, boolean loadOnly)
            throws Exception {
        StringBuilder yaml = new StringBuilder("version: 1\nprofiles:\n");
        int hosts = 0;
        outer:
        for (int p = 0; p < profiles; p++) {
            yaml.append("  - name: p").append(p).append("\n    trust: {certificates: ca.pem}\n    hosts:\n");
            for (int h = 0; h < hostsEach; h++) {
                String line = "      - h" + h + ".p" + p + ".example.com\n";
                if (yaml.length() + line.length() + 20 > maxBytes) {
                    break outer;
                }
                yaml.append(line);
                hosts++;
            }
        }
        Path file = dir.resolve("profiles.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);

        long start = System.nanoTime();
        LoadResult result = ProfileLoader.system().load(file, null, 1);
        long load = millisSince(start);
        if (result.hasErrors() || result.snapshot().match("h0.p0.example.com", 443).isEmpty()) {
            throw new IllegalStateException(label + ": did not load cleanly: " + result.errors());
        }

        if (loadOnly) {
            System.out.printf("%-34s %10d %8d %10d %12s %12s%n", label, Files.size(file), hosts, load, "-", "-");
            return;
        }
        try (ProfileWatcher watcher = ProfileWatcher.create(WatchSettings.of(file).reloadOption(Duration.ZERO)
                .target(new ReloadBenchmark.PrivateTarget()).log((level, message) -> { }))) {
            start = System.nanoTime();
            ReloadOutcome first = watcher.reloadNow();
            long firstCheck = millisSince(start);
            Files.writeString(file, yaml + "# changed\n", StandardCharsets.UTF_8);
            start = System.nanoTime();
            ReloadOutcome again = watcher.reloadNow();
            long recheck = millisSince(start);
            boolean applied = again.kind() == ReloadOutcome.Kind.UNCHANGED || again.kind() == ReloadOutcome.Kind.RELOADED;
            if (first.kind() != ReloadOutcome.Kind.RELOADED || !applied) {
                throw new IllegalStateException(label + ": " + first + " / " + again);
            }
            System.out.printf("%-34s %10d %8d %10d %12d %12d%n", label, Files.size(file), hosts, load, firstCheck,
                    recheck);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void writeCa(Path file) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ca = generator.generateKeyPair();
        Instant now = Instant.now();
        try {
            X500Name name = new X500Name("CN=Large File CA");
            byte[] der = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                    name, ca.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()))).getEncoded();
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
            Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n",
                    StandardCharsets.US_ASCII);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
