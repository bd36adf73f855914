package dev.mtls.agent.it;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.LocalhostPki;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The test PKI of the rotation tests, and the ways operators put a new client identity on disk:
 * PEM files rewritten in place, a PKCS12 keystore replaced, a Kubernetes Secret volume whose
 * {@code ..data} link is swapped. Every client certificate gets its own subject, so what a server
 * received says which version went out.
 */
final class RotatingPki {
    static final String STORE_PASSWORD = "store-pass";

    final LocalhostPki pki;
    final TestCertificate ca;
    final TestCertificate server;

    RotatingPki(Path directory) {
        pki = new LocalhostPki(directory, "mtls-agent rotation CA");
        ca = pki.ca;
        server = pki.server;
    }

    /** The client application trusts the CA the standard way, as an operator would configure it. */
    ChildJvm trustingClient(ChildJvm jvm) {
        return pki.trustingClient(jvm);
    }

    /** A client identity whose subject is {@code CN=<name>,O=mtls-agent}. */
    TestCertificate client(String name) {
        return pki.client("CN=" + name + ",O=mtls-agent");
    }

    /** The chain then the key, each rewritten in place (same file, same inode), as {@code cp} does. */
    static void writePemInPlace(TestCertificate identity, Path chain, Path key) {
        identity.writeChain(chain);
        identity.writePkcs8Key(key);
        TestPki.ownerOnly(key);
    }

    /** A new keystore written beside the old one and renamed over it. */
    static void replaceKeyStore(TestCertificate identity, Path keyStore) {
        Path next = keyStore.resolveSibling(keyStore.getFileName() + ".next");
        identity.writeKeyStore(next, "PKCS12", STORE_PASSWORD, STORE_PASSWORD, "client");
        TestPki.ownerOnly(next);
        replace(next, keyStore);
    }

    /** A new file written beside the old one and renamed over it, so no reader sees half of it. */
    static void replaceText(Path file, String text) {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        replace(next, file);
    }

    static void replace(Path source, Path target) {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Secret volume as the kubelet lays it out: the files in a timestamped folder, {@code ..data}
     * linking to that folder, and {@code tls.crt} and {@code tls.key} linking through {@code ..data}.
     */
    static final class SecretVolume {
        final Path directory;
        private Path current;
        private int version;

        SecretVolume(Path directory, TestCertificate identity) throws IOException {
            this.directory = Files.createDirectories(directory);
            current = writeVersion(identity);
            Files.createSymbolicLink(directory.resolve("..data"), current.getFileName());
            Files.createSymbolicLink(directory.resolve("tls.crt"), Path.of("..data", "tls.crt"));
            Files.createSymbolicLink(directory.resolve("tls.key"), Path.of("..data", "tls.key"));
        }

        Path certificate() {
            return directory.resolve("tls.crt");
        }

        Path key() {
            return directory.resolve("tls.key");
        }

        /**
         * What the kubelet does when the Secret changes: a new timestamped folder, a new link
         * renamed over {@code ..data} in one step, then the old folder removed.
         */
        void update(TestCertificate identity) throws IOException {
            Path next = writeVersion(identity);
            Path link = Files.createSymbolicLink(directory.resolve("..data_tmp"), next.getFileName());
            Files.move(link, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
            Path old = current;
            current = next;
            for (String name : new String[] {"tls.crt", "tls.key"}) {
                Files.delete(old.resolve(name));
            }
            Files.delete(old);
        }

        private Path writeVersion(TestCertificate identity) throws IOException {
            version++;
            Path folder = Files.createDirectory(directory.resolve("..2026_11_21_v" + version));
            identity.writeChain(folder.resolve("tls.crt"));
            identity.writePkcs8Key(folder.resolve("tls.key"));
            TestPki.ownerOnly(folder.resolve("tls.key"));
            return folder;
        }
    }
}
