package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mtls.itapps.HttpsClientApp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An unmodified application, with the agent, against a server that requires a client
 * certificate: for every client style (each reaches the identity through a different hook) and
 * every installed JDK, the server must see the profile's certificate for the matching host
 * ("localhost") and none for a host no profile names ("127.0.0.1").
 */
class MutualTlsIT {
    private static final List<String> CLIENT_STYLES =
            List.of("urlconnection", "httpclient", "init-null-keymanager", "sunjsse-named", "default-socket");

    @TempDir
    static Path directory;
    private static TestSetup setup;
    private static TestBackends backends;

    @BeforeAll
    static void start() throws Exception {
        setup = new TestSetup(directory);
        backends = new TestBackends(setup.server, setup.ca);
    }

    @AfterAll
    static void stop() {
        if (backends != null) {
            backends.close();
        }
    }

    static Stream<Arguments> jdksAndClientStyles() {
        return ChildJvm.javaExecutables().flatMap(java -> CLIENT_STYLES.stream().map(style -> Arguments.of(java, style)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("jdksAndClientStyles")
    void presentsProfileCertificateToMatchingHostOnly(Path java, String style) throws Exception {
        String tag = "/" + style + "/" + java.hashCode();
        String matching = tag + "/localhost";
        String other = tag + "/127.0.0.1";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java))
                .agent("profiles=" + setup.profiles)
                .run(HttpsClientApp.class, style, backends.requiredUrl("localhost", matching),
                        backends.optionalUrl("127.0.0.1", other));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(matching), result.toString());
        assertEquals(TestBackends.NONE, backends.subjectSeen(other), result.toString());
        assertFalse(result.stderr.contains("Exception") || result.stderr.contains("\tat "), result.toString());
        assertEquals(List.of("INFO: mtls-agent: 1 profile from " + setup.profiles),
                result.stderrLinesWith("mtls-agent"), result.toString());
    }
}
