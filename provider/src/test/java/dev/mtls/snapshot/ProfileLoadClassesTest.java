package dev.mtls.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki.KeyType;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent loads the profile file at the first use of TLS, so what loading a common file pulls in is start-up
 * cost for every JVM (docs/PERFORMANCE.md): PEM chains and unencrypted PKCS#8 keys are read by the
 * JDK alone, and Bouncy Castle is loaded only for the formats that need it. Checked in a fresh JVM
 * that logs class loading.
 */
class ProfileLoadClassesTest {
    @TempDir
    Path dir;

    @Test
    void loadingPemIdentitiesAndTrustLoadsNoBouncyCastle() throws Exception {
        TestCertificate ca = TestPki.rootCa("Classes CA").create();
        TestCertificate ec = ca.issue("ec-client").clientAuth().create();
        TestCertificate rsa = ca.issue("rsa-client").keyType(KeyType.RSA).clientAuth().create();
        ec.writeChain(dir.resolve("ec.pem"));
        ec.writePkcs8Key(dir.resolve("ec.key"));
        rsa.writeChain(dir.resolve("rsa.pem"));
        rsa.writePkcs8Key(dir.resolve("rsa.key"));
        TestPki.writePem(dir.resolve("ca.pem"), ca.certificate());
        Path file = Files.writeString(dir.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: ec",
                "    hosts: [ec.internal]",
                "    identity: {certificate: ec.pem, key: ec.key}",
                "    trust: {certificates: ca.pem}",
                "  - name: rsa",
                "    hosts: [rsa.internal]",
                "    identity: {certificate: rsa.pem, key: rsa.key}",
                ""));

        List<String> loaded = classesLoadedLoading(file);

        assertTrue(loaded.contains("dev.mtls.material.PlainPem"), "the child JVM did load the file");
        List<String> bouncyCastle = new ArrayList<>();
        for (String name : loaded) {
            if (name.startsWith("org.bouncycastle.")) {
                bouncyCastle.add(name);
            }
        }
        assertEquals(List.of(), bouncyCastle);
    }

    private static List<String> classesLoadedLoading(Path file) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xshare:auto", "-Xlog:class+load=info", "-cp", classPath,
                Child.class.getName(), file.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("loaded 2 profiles, 0 errors"), output);
        List<String> classes = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.contains("[class,load]")) {
                classes.add(line.replaceAll(".*\\[class,load\\] (\\S+).*", "$1"));
            }
        }
        return classes;
    }

    /** Runs in the child JVM: what the agent's first load does with the file. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            LoadResult result = ProfileLoader.system().load(Path.of(args[0]), null, 1);
            System.out.println("loaded " + result.snapshot().profiles().size() + " profiles, "
                    + result.errors().size() + " errors");
        }
    }
}
