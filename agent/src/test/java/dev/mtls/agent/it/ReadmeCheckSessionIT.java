package dev.mtls.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * README.md's quick start, run as written: its profile file, with the PKI it describes made at test
 * time, gives exactly the {@code check} and {@code which} session README shows, line for line, once
 * the file's path and the certificate's NOT AFTER date are this run's. Both blocks are read out of
 * README.md itself, so the README cannot drift from what the program prints.
 */
class ReadmeCheckSessionIT {
    /** The command README's session types before the arguments. */
    private static final String COMMAND = "$ java -jar mtls-agent.jar ";
    private static final String README_PROFILES = "/etc/mtls/profiles.yaml";
    private static final String README_NOT_AFTER = "2027-11-21";
    private static final String KEY_PASSWORD = "readme-key-password-4711";

    @TempDir
    static Path directory;
    private static List<String> readme;
    private static Path profiles;
    private static String notAfter;

    @BeforeAll
    static void writeTheQuickStartsFiles() throws IOException {
        readme = Files.readAllLines(readme(), StandardCharsets.UTF_8);
        TestCertificate clientCa = TestPki.rootCa("Acme Client CA").subject("CN=Acme Client CA,O=acme").create();
        TestCertificate backendCa = TestPki.rootCa("Acme Backend CA").subject("CN=Acme Backend CA,O=acme").create();
        TestCertificate client = clientCa.issue("bot-client").subject("CN=bot-client,O=acme")
                .keyType(TestPki.KeyType.EC).clientAuth().create();
        // The quick start's paths are relative to the profile file: its certs/ folder, here.
        Path certs = Files.createDirectories(directory.resolve("certs"));
        client.writeChain(certs.resolve("client-chain.pem"));
        client.writeEncryptedPkcs8Key(certs.resolve("client.key"), KEY_PASSWORD);
        Files.setPosixFilePermissions(certs.resolve("client.key"), PosixFilePermissions.fromString("rw-------"));
        TestPki.writePem(certs.resolve("backend-ca.pem"), backendCa.certificate());
        profiles = Files.write(directory.resolve("profiles.yaml"), block("## Quick start", "```yaml"),
                StandardCharsets.UTF_8);
        notAfter = client.certificate().getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    static Stream<Path> jdks() {
        return ChildJvm.javaExecutables();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void printsTheCheckAndWhichSessionReadmeShows(Path java) throws Exception {
        List<String> session = block("Check it before you deploy it", "```console");
        List<String> printed = new ArrayList<>();
        for (String line : session) {
            if (line.startsWith(COMMAND)) {
                String command = line.replace(README_PROFILES, profiles.toString());
                String[] arguments = command.substring(COMMAND.length()).split(" ");
                ChildJvm.Result run = ChildJvm.on(java).environment("CLIENT_KEY_PASSWORD", KEY_PASSWORD)
                        .runAgentJar(directory, arguments);
                assertThat(run.exitCode).as("%s", run).isZero();
                assertThat(run.stderr).as("%s", run).isEmpty();
                if (!printed.isEmpty()) {
                    printed.add(""); // README separates one command's output from the next with a blank line
                }
                printed.add(command);
                run.stdout.lines().forEach(printed::add);
            }
        }

        assertThat(String.join("\n", printed)).isEqualTo(String.join("\n", normalised(session)));
    }

    /** README's session with this run's profile file and NOT AFTER date in place of the ones it shows. */
    private static List<String> normalised(List<String> session) {
        List<String> lines = new ArrayList<>();
        for (String line : session) {
            lines.add(line.replace(README_PROFILES, profiles.toString()).replace(README_NOT_AFTER, notAfter));
        }
        return lines;
    }

    /** The lines of the first {@code fence} block after the line starting with {@code after}. */
    private static List<String> block(String after, String fence) {
        int start = -1;
        for (int i = 0; i < readme.size() && start < 0; i++) {
            if (readme.get(i).startsWith(after)) {
                for (int j = i + 1; j < readme.size() && start < 0; j++) {
                    if (readme.get(j).equals(fence)) {
                        start = j + 1;
                    }
                }
            }
        }
        assertThat(start).as("a %s block after '%s' in README.md", fence, after).isPositive();
        int end = readme.subList(start, readme.size()).indexOf("```");
        assertThat(end).as("the end of the %s block after '%s' in README.md", fence, after).isPositive();
        return readme.subList(start, start + end);
    }

    /** The repository's README.md: the build runs the ITs in agent/, an IDE may run them at the root. */
    private static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(here.resolve("README.md"), here.getParent().resolve("README.md"))) {
            if (Files.isRegularFile(candidate) && Files.isDirectory(candidate.resolveSibling("provider"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no README.md of the repository at or above " + here);
    }
}
