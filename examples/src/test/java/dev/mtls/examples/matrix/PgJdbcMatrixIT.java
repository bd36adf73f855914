package dev.mtls.examples.matrix;

import static dev.mtls.examples.matrix.MatrixPki.APPLICATION_ROLE;
import static dev.mtls.examples.matrix.MatrixPki.MATCHING_HOST;
import static dev.mtls.examples.matrix.MatrixPki.OTHER_HOST;
import static dev.mtls.examples.matrix.MatrixPki.PROFILE_ROLE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.examples.clients.PgJdbcApp;
import dev.mtls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PostgreSQL JDBC driver against a real PostgreSQL server with {@code hostssl ... cert}
 * authentication, where the certificate's CN is the role. pgjdbc initialises its own SSLContext
 * with its own plain key manager; the profile must override it for "localhost" and nowhere else:
 * <ul>
 * <li>localhost, no certificate configured in the application: logs in as the profile's CN;
 * <li>127.0.0.1, no certificate configured: refused, as without the agent;
 * <li>localhost, the application's own certificate configured: the profile's still wins;
 * <li>127.0.0.1, the application's own certificate configured: logs in as that certificate's CN.
 * </ul>
 */
class PgJdbcMatrixIT {
    @TempDir
    static Path directory;
    private static MatrixPki pki;
    private static PostgresServer postgres;
    private static Path applicationCertificate;
    private static Path applicationKey;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(PostgresServer.cannotRunHere().isEmpty(),
                () -> "PostgreSQL matrix skipped: " + PostgresServer.cannotRunHere().orElse(""));
        pki = new MatrixPki(directory);
        // The postgres system user must be able to enter the test folder to reach its own cluster folder.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
        postgres = PostgresServer.start(directory.resolve("postgres"), PROFILE_ROLE, pki.serverChainPem,
                pki.serverKeyPem, pki.caPem);
        postgres.createRole(APPLICATION_ROLE);
        applicationCertificate = pki.applicationIdentity.writeChain(directory.resolve("app.crt"));
        // pgjdbc's default key format: PKCS#8, DER.
        applicationKey = TestPki.ownerOnly(Files.write(directory.resolve("app.pk8"),
                pki.applicationIdentity.privateKey().getEncoded()));
        Files.createDirectories(directory.resolve("home"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest(name = "pgjdbc on {0}")
    @MethodSource("jdks")
    void profileOverridesTheDriversKeyManagerForMatchingHostOnly(Jdk jdk) throws Exception {
        String matching = url(MATCHING_HOST, PROFILE_ROLE, false);
        String other = url(OTHER_HOST, PROFILE_ROLE, false);
        String matchingWithOwn = url(MATCHING_HOST, PROFILE_ROLE, true);
        String otherWithOwn = url(OTHER_HOST, APPLICATION_ROLE, true);

        ClientRun run = ClientRun.of(jdk.client("pgjdbc").agent("profiles=" + pki.profiles)
                // No ~/.postgresql/postgresql.crt of this machine's user may take part.
                .systemProperty("user.home", directory.resolve("home").toString())
                .run(PgJdbcApp.class, matching, other, matchingWithOwn, otherWithOwn));

        String context = run + "\n--- PostgreSQL log\n" + postgres.log();
        assertAll(context,
                () -> assertEquals(0, run.exitCode),
                () -> assertEquals("OK current_user=" + PROFILE_ROLE, run.result(matching)),
                () -> assertTrue(String.valueOf(run.result(other)).startsWith("FAILED ")
                        && run.result(other).contains("certificate"), run.result(other)),
                () -> assertEquals("OK current_user=" + PROFILE_ROLE, run.result(matchingWithOwn)),
                () -> assertEquals("OK current_user=" + APPLICATION_ROLE, run.result(otherWithOwn)),
                () -> assertEquals(List.of(), run.agentComplaints()));
    }

    /** As pgjdbc documents it: verify-full against the CA file; the application's own key pair if asked. */
    private static String url(String host, String user, boolean ownCertificate) {
        return "jdbc:postgresql://" + host + ":" + postgres.port() + "/postgres?user=" + user
                + "&sslmode=verify-full&sslrootcert=" + pki.caPem + "&connectTimeout=20"
                + (ownCertificate ? "&sslcert=" + applicationCertificate + "&sslkey=" + applicationKey : "");
    }
}
