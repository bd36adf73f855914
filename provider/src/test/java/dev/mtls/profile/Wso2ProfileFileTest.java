package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Wso2ProfileFileTest {
    private static final String STORE_PASSWORD = "wso2carbon-st0re";
    private static final String KEY_PASSWORD = "wso2carbon-k3y";

    @TempDir
    Path dir;

    private final ProfileFileReader reader = new ProfileFileReader(
            new SecretResolver(Map.of("TRUST_PW", "tru5t-from-env"), new Properties()));

    @Test
    void parsesTheWso2DocumentationSample() throws Exception {
        Path file = write("sslprofiles.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<!-- Dynamic SSL profiles, as in the WSO2 API Manager documentation -->",
                "<parameter name=\"customSSLProfiles\">",
                "    <profile>",
                "        <servers>localhost:8243</servers>",
                "        <TrustStore>",
                "            <Location>repository/resources/security/client-truststore.jks</Location>",
                "            <Type>JKS</Type>",
                "            <Password>${env:TRUST_PW}</Password>",
                "        </TrustStore>",
                "    </profile>",
                "    <profile>",
                "        <servers>backend.example.com:9443, backend2.example.com:9443</servers>",
                "        <KeyStore>",
                "            <Location>repository/resources/security/wso2carbon.jks</Location>",
                "            <Type>JKS</Type>",
                "            <Password>" + STORE_PASSWORD + "</Password>",
                "            <KeyPassword>" + KEY_PASSWORD + "</KeyPassword>",
                "        </KeyStore>",
                "        <TrustStore>",
                "            <Location>/opt/wso2/client-truststore.jks</Location>",
                "            <Type>JKS</Type>",
                "            <Password>" + STORE_PASSWORD + "</Password>",
                "        </TrustStore>",
                "    </profile>",
                "</parameter>");
        Path home = dir.resolve("wso2am-4.2.0");

        ProfileDocument document = reader.read(file, home);

        assertEquals(ProfileDocument.Format.WSO2_XML, document.format());
        assertEquals(List.of(), document.errors());
        assertTrue(document.reload().isEmpty());
        assertEquals(List.of(
                new ProfileDefinition("localhost_8243", List.of("localhost:8243"), Mode.MANDATORY, null,
                        TrustSpec.keyStore(home.resolve("repository/resources/security/client-truststore.jks"), "JKS",
                                Secret.of("tru5t-from-env"), false),
                        false, 0),
                new ProfileDefinition("backend.example.com_9443",
                        List.of("backend.example.com:9443", "backend2.example.com:9443"), Mode.MANDATORY,
                        IdentitySpec.keyStore(home.resolve("repository/resources/security/wso2carbon.jks"), "JKS",
                                Secret.of(STORE_PASSWORD), Secret.of(KEY_PASSWORD), null),
                        TrustSpec.keyStore(Path.of("/opt/wso2/client-truststore.jks").toAbsolutePath(), "JKS",
                                Secret.of(STORE_PASSWORD), false),
                        false, 0)),
                document.profiles());
    }

    @Test
    void readsTheStarServerAsTheDefaultProfile() throws Exception {
        Path file = write("p.xml", "<parameter name=\"customSSLProfiles\"><profile><servers>*</servers>",
                "<TrustStore><Location>ca.jks</Location></TrustStore></profile></parameter>");

        ProfileDefinition profile = reader.read(file, null).profiles().get(0);

        assertEquals("default", profile.name());
        assertEquals(List.of("*"), profile.hosts());
        assertEquals(TrustSpec.keyStore(dir.resolve("ca.jks"), null, null, false), profile.trust());
    }

    @Test
    void acceptsAnyRootAndAnyCaseOfElementNames() throws Exception {
        Path file = write("axis2.xml", "<axisconfig><transportSender name=\"https\">",
                "<parameter name=\"customSSLProfiles\"><PROFILE><Servers>a.example.com:443</Servers>",
                "<keystore><location>a.p12</location><type>PKCS12</type><password>x</password></keystore>",
                "</PROFILE></parameter></transportSender></axisconfig>");

        ProfileDefinition profile = reader.read(file, null).profiles().get(0);

        assertEquals("a.example.com_443", profile.name());
        assertEquals(IdentitySpec.keyStore(dir.resolve("a.p12"), "PKCS12", Secret.of("x"), null, null),
                profile.identity());
    }

    @Test
    void namesProfilesUniquelyAfterTheirFirstServer() {
        Set<String> taken = new HashSet<>();
        assertEquals("api.example.com_8443", Wso2ProfileParser.uniqueName("api.example.com:8443", taken));
        assertEquals("api.example.com_8443-2", Wso2ProfileParser.uniqueName("api.example.com:8443", taken));
        assertEquals("api.example.com_8443-3", Wso2ProfileParser.uniqueName("api.example.com_8443", taken));
        assertEquals("_.example.com", Wso2ProfileParser.uniqueName("*.example.com", taken));
        assertEquals("___1__8443", Wso2ProfileParser.uniqueName("[::1]:8443", taken));
        assertEquals("default", Wso2ProfileParser.uniqueName("*", taken));
        assertEquals("default-2", Wso2ProfileParser.uniqueName("*", taken));
    }

    @Test
    void reportsAnUnknownElementForThatProfileOnly() throws Exception {
        Path file = write("p.xml", "<parameter name=\"customSSLProfiles\">",
                "<profile><servers>a.example.com</servers><TrustStore><Location>a.jks</Location>",
                "<Pasword>" + STORE_PASSWORD + "</Pasword></TrustStore></profile>",
                "<profile><servers>b.example.com</servers><TrustStore><Location>b.jks</Location></TrustStore>",
                "</profile>",
                "<profile><servers>c.example.com</servers><SSLProtocol>TLSv1.2</SSLProtocol></profile>",
                "<profile><KeyStore><Location>d.jks</Location></KeyStore></profile>",
                "<profile><servers> , </servers><KeyStore><Location>e.jks</Location></KeyStore></profile>",
                "<profile><servers>f.example.com</servers></profile>",
                "<profile><servers>g.example.com</servers><KeyStore><Type>JKS</Type></KeyStore></profile>",
                "<profile><servers>h.example.com</servers><KeyStore><Location>h.jks</Location>",
                "<Password>${env:H_PASSWORD}</Password></KeyStore><KeyStore/></profile>",
                "<profile><servers>i.example.com</servers><KeyStore><Location>h.jks</Location>",
                "<Password>${env:H_PASSWORD}</Password></KeyStore></profile>",
                "</parameter>");

        ProfileDocument document = reader.read(file, null);

        assertEquals(List.of("b.example.com"), document.profiles().stream()
                .filter(profile -> profile.unreadable().isEmpty()).map(ProfileDefinition::name)
                .collect(Collectors.toList()));
        // Every profile whose servers could be read stays for them, unusable, so they fail closed.
        assertEquals(List.of("a.example.com", "c.example.com", "f.example.com", "g.example.com", "h.example.com",
                "i.example.com"), document.profiles().stream().filter(profile -> profile.unreadable().isPresent())
                .map(ProfileDefinition::name).collect(Collectors.toList()));
        ProfileDefinition unknownElement = document.profiles().get(0);
        assertEquals(List.of("a.example.com"), unknownElement.hosts());
        assertEquals(Mode.MANDATORY, unknownElement.mode());
        assertTrue(unknownElement.declaresTrust(), "a broken <TrustStore> fails closed in any mode");
        assertEquals(file + ": unknown element <Pasword> in <TrustStore>; did you mean 'Password'?",
                unknownElement.unreadable().orElseThrow());
        List<String> errors = document.errors().stream().map(ProfileError::toString).collect(Collectors.toList());
        assertEquals(List.of(
                file + ": profile 'a.example.com': unknown element <Pasword> in <TrustStore>; did you mean 'Password'?",
                file + ": profile 'c.example.com': unknown element <SSLProtocol> in <profile>",
                file + ": profile '#4': profile has no <servers>",
                file + ": profile '#5': <servers> is empty",
                file + ": profile 'f.example.com': profile has neither <KeyStore> nor <TrustStore>",
                file + ": profile 'g.example.com': <KeyStore> has no <Location>",
                file + ": profile 'h.example.com': <profile> has more than one <KeyStore>",
                file + ": profile 'i.example.com': KeyStore/Password: environment variable H_PASSWORD is not set"),
                errors);
        errors.forEach(error -> assertFalse(error.contains(STORE_PASSWORD), error));
    }

    @Test
    void refusesAnExternalEntityWithoutRevealingTheFileItNames() throws Exception {
        Path target = dir.resolve("host-secret.txt");
        Files.writeString(target, "root-password-from-another-file");
        Path file = write("xxe.xml", "<?xml version=\"1.0\"?>",
                "<!DOCTYPE parameter [<!ENTITY xxe SYSTEM \"" + target.toUri() + "\">]>",
                "<parameter name=\"customSSLProfiles\"><profile><servers>&xxe;</servers>",
                "<TrustStore><Location>&xxe;</Location><Password>&xxe;</Password></TrustStore></profile></parameter>");

        ProfileFileException e = assertThrows(ProfileFileException.class, () -> reader.read(file, null));

        assertEquals(file + ":2: XML with a DOCTYPE is not allowed (no DTDs or entities in profile files)",
                e.getMessage());
        assertFalse(e.getMessage().contains("root-password"));
        assertFalse(e.error().message().contains("root-password"));
    }

    @Test
    void refusesAnXmlBillionLaughs() throws Exception {
        StringBuilder entities = new StringBuilder("<!ENTITY lol \"lol\">");
        for (int level = 1; level <= 9; level++) {
            String previous = level == 1 ? "&lol;" : "&lol" + (level - 1) + ";";
            entities.append("<!ENTITY lol").append(level).append(" \"").append(previous.repeat(10)).append("\">");
        }
        Path file = write("laughs.xml", "<?xml version=\"1.0\"?>", "<!DOCTYPE lolz [" + entities + "]>",
                "<parameter><profile><servers>&lol9;</servers></profile></parameter>");

        ProfileFileException e = assertThrows(ProfileFileException.class, () -> reader.read(file, null));

        assertEquals(file + ":2: XML with a DOCTYPE is not allowed (no DTDs or entities in profile files)",
                e.getMessage());
    }

    @Test
    void reportsMalformedXmlWithItsLine() throws Exception {
        Path file = write("p.xml", "<parameter>", "<profile><servers>a</servers>", "</parameter>");

        ProfileFileException e = assertThrows(ProfileFileException.class, () -> reader.read(file, null));

        assertTrue(e.getMessage().startsWith(file + ":3: not well-formed XML: "), e.getMessage());
    }

    @Test
    void rejectsXmlWithoutProfiles() throws Exception {
        Path file = write("pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>");

        ProfileFileException e = assertThrows(ProfileFileException.class, () -> reader.read(file, null));

        assertEquals(file + ": no <profile> elements (expected a WSO2 customSSLProfiles file:"
                + " <profile><servers>host:port</servers><KeyStore>…</KeyStore></profile>)", e.getMessage());
    }

    @Test
    void keepsPasswordsVerbatimButTrimsOtherValues() throws Exception {
        Path file = write("p.xml", "<parameter><profile><servers>",
                "  a.example.com:443 ,b.example.com ,",
                "</servers><KeyStore><Location>",
                "   a.jks  </Location><Type>  </Type><Password> spaced </Password></KeyStore></profile></parameter>");

        ProfileDefinition profile = reader.read(file, null).profiles().get(0);

        assertEquals(List.of("a.example.com:443", "b.example.com"), profile.hosts());
        assertEquals(dir.resolve("a.jks"), profile.identity().keyStore());
        assertNull(profile.identity().storeType());
        assertEquals(Secret.of(" spaced "), profile.identity().storePassword());
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
    }
}
