package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFileReaderTest {
    private static final String NEITHER = "neither a YAML profile file (version: 1) nor a WSO2 XML profile file";
    private static final String YAML = "version: 1\nprofiles:\n  - name: a\n    hosts: a.example.com\n"
            + "    trust: {certificates: ca.pem}\n";
    private static final String XML = "<parameter name=\"customSSLProfiles\"><profile><servers>a.example.com</servers>"
            + "<TrustStore><Location>ca.jks</Location></TrustStore></profile></parameter>";

    @TempDir
    Path dir;

    private final ProfileFileReader reader = new ProfileFileReader(new SecretResolver(Map.of(), new Properties()));

    @Test
    void reportsAMissingFile() {
        Path file = dir.resolve("nope.yaml");
        assertEquals(file + ": file not found", failure(file));
        assertEquals(dir.resolve("no/such/dir.yaml") + ": file not found", failure(dir.resolve("no/such/dir.yaml")));
    }

    @Test
    void reportsADirectory() {
        assertEquals(dir + ": not a regular file (a directory)", failure(dir));
    }

    @Test
    void reportsAnUnreadableFile() throws IOException {
        Path file = write("locked.yaml", YAML);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as a user who can read any file");
        assertEquals(file + ": cannot read file: permission denied", failure(file));
    }

    @Test
    void refusesAFileLargerThanFourMebibytes() throws IOException {
        Path file = write("huge.yaml", "version: 1\nprofiles: []\n#" + "x".repeat(4 * 1024 * 1024));
        assertEquals(file + ": file is larger than 4 MiB; not a profile file", failure(file));
    }

    @Test
    void reportsNeitherFormatForOtherContent() throws IOException {
        assertEquals(neither("empty.yaml", ""), failure(write("empty.yaml", "")));
        assertEquals(neither("comments.yaml", ""), failure(write("comments.yaml", "# nothing\n\n# here\n")));
        assertEquals(neither("text.txt", ""), failure(write("text.txt", "hello world\n")));
        assertEquals(neither("props.properties", ""), failure(write("props.properties", "a=b\nc=d\n")));
        assertEquals(neither("other.json", ""), failure(write("other.json", "{\"name\": \"x\", \"hosts\": []}")));
        assertEquals(neither("list.yaml", ""), failure(write("list.yaml", "- version: 1\n")));
        assertEquals(neither("broken.yaml", ""), failure(write("broken.yaml", "a: b: c\n")));
        Path binary = dir.resolve("key.der");
        Files.write(binary, new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, 0x02, (byte) 0x82, 0x01, 0x01, 0x00});
        assertEquals(neither("key.der", " (not UTF-8 text)"), failure(binary));
        Path control = dir.resolve("control.bin");
        Files.write(control, new byte[] {0x01, 0x02, 0x03, 'a'});
        assertEquals(neither("control.bin", ""), failure(control));
    }

    @Test
    void detectsXmlAfterAByteOrderMarkWhiteSpaceAndComments() throws Exception {
        assertEquals(ProfileDocument.Format.WSO2_XML, read("a.xml", "\uFEFF\n  <?xml version=\"1.0\"?>\n" + XML));
        assertEquals(ProfileDocument.Format.WSO2_XML, read("b.conf", "<!-- profiles -->\n" + XML));
        assertEquals(ProfileDocument.Format.WSO2_XML, read("c.yaml", "# copied from WSO2\n\t" + XML));
        Path utf16 = dir.resolve("d.xml");
        Files.write(utf16,
                ("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + XML).getBytes(StandardCharsets.UTF_16LE));
        assertEquals(ProfileDocument.Format.WSO2_XML, reader.read(utf16, null).format());
    }

    @Test
    void detectsYamlByItsContentWhateverTheFileIsCalled() throws IOException {
        assertEquals(ProfileDocument.Format.YAML, read("profiles.xml", YAML));
        assertEquals(ProfileDocument.Format.YAML, read("bom.yaml", "\uFEFF# profiles\n---\n" + YAML));
        assertEquals(ProfileDocument.Format.YAML, read("flow.yaml", "{version: 1, profiles: []}"));
    }

    @Test
    void resolvesRelativePathsAgainstTheFilesFolderUnlessABaseIsGiven() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Path file = Files.writeString(dir.resolve("etc/profiles.yaml"), YAML);
        assertEquals(dir.resolve("etc/ca.pem"), reader.read(file, null).profiles().get(0).trust().certificates());
        assertEquals(dir.resolve("home/ca.pem"),
                reader.read(file, dir.resolve("home")).profiles().get(0).trust().certificates());
        assertEquals(Path.of("relative-home").toAbsolutePath().resolve("ca.pem"),
                reader.read(file, Path.of("relative-home")).profiles().get(0).trust().certificates());
    }

    @Test
    void formatsAnErrorAsFileLineProfileMessageLeavingOutWhatIsUnknown() {
        Path file = Path.of("/etc/mtls/profiles.yaml");
        assertEquals("/etc/mtls/profiles.yaml:12: profile 'payments': identity.keyPassword: environment variable"
                + " CLIENT_KEY_PASSWORD is not set", new ProfileError(file, "payments", 12,
                        "identity.keyPassword: environment variable CLIENT_KEY_PASSWORD is not set").toString());
        assertEquals("/etc/mtls/profiles.yaml: profile '#3': missing field 'name'",
                new ProfileError(file, "#3", 0, "missing field 'name'").toString());
        assertEquals("/etc/mtls/profiles.yaml:1: unsupported version '2' (this agent reads version: 1)",
                ProfileError.ofFile(file, 1, "unsupported version '2' (this agent reads version: 1)").toString());
        assertEquals("/etc/mtls/profiles.yaml: file not found", ProfileError.ofFile(file, 0, "file not found")
                .toString());
    }

    private ProfileDocument.Format read(String name, String content) throws IOException {
        try {
            return reader.read(write(name, content), null).format();
        } catch (ProfileFileException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private String neither(String name, String detail) {
        return dir.resolve(name) + ": " + NEITHER + detail;
    }

    private String failure(Path file) {
        return assertThrows(ProfileFileException.class, () -> reader.read(file, null)).getMessage();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
