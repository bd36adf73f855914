package dev.mtls.reload;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A folder with a profile file and the PEM files it names, written the way operators edit them. */
final class ProfileFiles {
    static final TestCertificate CA = TestPki.rootCa("Reload Test CA").create();

    final Path dir;
    final Path profiles;

    ProfileFiles(Path dir) {
        this.dir = dir;
        this.profiles = dir.resolve("profiles.yaml");
    }

    static TestCertificate client(String commonName) {
        return CA.issue(commonName).clientAuth().create();
    }

    /** {@code name.pem} and {@code name.key}, rewritten in place when they exist (same inode). */
    ProfileFiles identity(String name, TestCertificate certificate) {
        certificate.writeChain(dir.resolve(name + ".pem"));
        certificate.writePkcs8Key(dir.resolve(name + ".key"));
        return this;
    }

    /** A profile presenting {@code name.pem}/{@code name.key} to {@code host}. */
    static String profile(String name, String host) {
        return "  - name: " + name + "\n    hosts: [\"" + host + "\"]\n"
                + "    identity: {certificate: " + name + ".pem, key: " + name + ".key}\n";
    }

    /** Writes the profile file: version 1, the given reload setting (null for none), these profiles. */
    ProfileFiles write(Duration reload, String... profileEntries) {
        StringBuilder text = new StringBuilder("version: 1\n");
        if (reload != null) {
            text.append("reload: ").append(reload.toMillis()).append("ms\n");
        }
        text.append(profileEntries.length == 0 ? "profiles: []\n" : "profiles:\n");
        for (String entry : profileEntries) {
            text.append(entry);
        }
        return writeText(text.toString());
    }

    ProfileFiles write(String... profileEntries) {
        return write(null, profileEntries);
    }

    ProfileFiles writeText(String text) {
        try {
            Files.writeString(profiles, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
