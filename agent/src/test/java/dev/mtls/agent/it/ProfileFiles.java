package dev.mtls.agent.it;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Profile files in both formats, with their key material beside them, as an operator writes them. */
final class ProfileFiles {
    /** The password of every WSO2 keystore, as in a WSO2 installation's defaults. */
    static final String WSO2_PASSWORD = "wso2carbon";

    private ProfileFiles() {
    }

    /** One profile: the identity it presents to the hosts it matches. */
    static final class Profile {
        final String name;
        final TestCertificate identity;
        final List<String> hosts;

        private Profile(String name, TestCertificate identity, List<String> hosts) {
            this.name = name;
            this.identity = identity;
            this.hosts = hosts;
        }
    }

    static Profile profile(String name, TestCertificate identity, String... hosts) {
        return new Profile(name, identity, List.of(hosts));
    }

    /** Native YAML, each identity as {@code NAME-chain.pem} and {@code NAME.key} (PKCS#8) beside the file. */
    static Path yaml(Path file, Profile... profiles) {
        List<String> lines = new ArrayList<>(List.of("version: 1", "profiles:"));
        for (Profile profile : profiles) {
            profile.identity.writeChain(file.resolveSibling(profile.name + "-chain.pem"));
            TestPki.ownerOnly(profile.identity.writePkcs8Key(file.resolveSibling(profile.name + ".key")));
            lines.add("  - name: " + profile.name);
            lines.add("    hosts: [" + String.join(", ", profile.hosts) + "]");
            lines.add("    identity:");
            lines.add("      certificate: " + profile.name + "-chain.pem");
            lines.add("      key: " + profile.name + ".key");
        }
        return write(file, lines);
    }

    /**
     * WSO2 API Manager's {@code customSSLProfiles} file where WSO2 keeps it,
     * {@code HOME/repository/resources/security/sslprofiles.xml}: each identity in a JKS keystore,
     * {@code trustedCa} in a JKS truststore, every {@code Location} relative to {@code HOME} (so
     * the agent needs {@code base=HOME}). Each profile's hosts become its {@code <servers>}.
     */
    static Path wso2(Path home, X509Certificate trustedCa, Profile... profiles) {
        String folder = "repository/resources/security/";
        createDirectories(home.resolve(folder));
        TestPki.writeTrustStore(home.resolve(folder + "client-truststore.jks"), "JKS", WSO2_PASSWORD, trustedCa);
        List<String> lines = new ArrayList<>(List.of("<parameter name=\"customSSLProfiles\">"));
        for (Profile profile : profiles) {
            String keyStore = folder + profile.name + ".jks";
            TestPki.ownerOnly(profile.identity.writeKeyStore(home.resolve(keyStore), "JKS", WSO2_PASSWORD, WSO2_PASSWORD,
                    profile.name));
            lines.addAll(List.of(
                    "    <profile>",
                    "        <servers>" + String.join(",", profile.hosts) + "</servers>",
                    "        <KeyStore>",
                    "            <Location>" + keyStore + "</Location>",
                    "            <Type>JKS</Type>",
                    "            <Password>" + WSO2_PASSWORD + "</Password>",
                    "            <KeyPassword>" + WSO2_PASSWORD + "</KeyPassword>",
                    "        </KeyStore>",
                    "        <TrustStore>",
                    "            <Location>" + folder + "client-truststore.jks</Location>",
                    "            <Type>JKS</Type>",
                    "            <Password>" + WSO2_PASSWORD + "</Password>",
                    "        </TrustStore>",
                    "    </profile>"));
        }
        lines.add("</parameter>");
        return write(home.resolve(folder + "sslprofiles.xml"), lines);
    }

    private static Path write(Path file, List<String> lines) {
        try {
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
