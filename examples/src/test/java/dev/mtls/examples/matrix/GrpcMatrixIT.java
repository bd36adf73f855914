package dev.mtls.examples.matrix;

import static dev.mtls.examples.matrix.MatrixPki.MATCHING_HOST;
import static dev.mtls.examples.matrix.MatrixPki.OTHER_HOST;
import static dev.mtls.examples.matrix.MatrixPki.PROFILE_SUBJECT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.examples.clients.GrpcApp;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gRPC-java over grpc-netty-shaded, whose channel runs on the shaded Netty's BoringSSL engine:
 * only the hook on the shaded {@code SslContextBuilder#build} can give it the identity. The
 * server that requires a client certificate must see the profile's for "localhost"; the server
 * that accepts calls without one must see none for "127.0.0.1".
 */
class GrpcMatrixIT {
    @TempDir
    static Path directory;
    private static MatrixPki pki;
    private static GrpcSubjectServer requiring;
    private static GrpcSubjectServer accepting;

    @BeforeAll
    static void start() throws Exception {
        pki = new MatrixPki(directory);
        requiring = GrpcSubjectServer.requiringClientCertificate(pki);
        accepting = GrpcSubjectServer.acceptingClientCertificate(pki);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (requiring != null) {
            requiring.close();
        }
        if (accepting != null) {
            accepting.close();
        }
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest(name = "gRPC (grpc-netty-shaded) on {0}")
    @MethodSource("jdks")
    void presentsProfileCertificateToMatchingHostOnly(Jdk jdk) throws Exception {
        String matchingTag = "grpc-" + jdk.tag() + "-matching";
        String otherTag = "grpc-" + jdk.tag() + "-other";
        String matching = requiring.target(MATCHING_HOST, matchingTag);
        String other = accepting.target(OTHER_HOST, otherTag);

        ClientRun run = ClientRun.of(pki.trustingClient(jdk.client("grpc")).agent("profiles=" + pki.profiles)
                .run(GrpcApp.class, matching, other));

        assertAll(run.toString(),
                () -> assertEquals(0, run.exitCode),
                () -> assertEquals(List.of("true"), run.info("openssl")),
                () -> assertEquals(PROFILE_SUBJECT, requiring.seen(matchingTag)),
                () -> assertEquals(GrpcSubjectServer.NONE, accepting.seen(otherTag)),
                () -> assertEquals("OK " + PROFILE_SUBJECT, run.result(matching)),
                () -> assertEquals("OK " + GrpcSubjectServer.NONE, run.result(other)),
                () -> assertEquals(List.of(), run.agentComplaints()));
    }

    /** The control: without the agent the channel has no identity, so the certificate above is the Netty hook's. */
    @Test
    void withoutTheAgentTheRequiringServerRefusesTheCall() throws Exception {
        Jdk jdk = Jdk.installed().get(0);
        String tag = "grpc-control-" + jdk.tag();
        String target = requiring.target(MATCHING_HOST, tag);

        ClientRun run = ClientRun.of(pki.trustingClient(jdk.client("grpc")).run(GrpcApp.class, target));

        assertTrue(String.valueOf(run.result(target)).startsWith("FAILED "), run.toString());
        assertNull(requiring.seen(tag), run.toString());
    }
}
