package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.Fifos;
import dev.mtls.itapps.HelloApp;
import dev.mtls.itapps.TlsInitApp;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No file can hang the agent: a profile file, key, certificate, keystore, trust file or
 * {@code ${file:}} secret that would block on open (a FIFO nobody writes to; a hung network
 * mount takes the same path) is refused with a message naming it, wherever the agent meets it:
 * at start, with strict=true, on reload (and the fix is applied later), under attach (the target
 * JVM's attach listener stays free: jcmd still answers), and in each CLI command. Every FIFO here
 * is left with no writer: a read of one would hang until the test's own time-outs fire.
 */
class HangingFilesIT extends WithBackends {
    static final String NOT_REGULAR = ": not a regular file (a FIFO or a device?)";
    static final String HELLO = "hello from the application";

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void aProfileFileThatIsAFifoIsNamedAtTheFirstUseOfTlsAndTheApplicationRuns(Path java) throws Exception {
        Path fifo = Fifos.create(folder("start", java).resolve("profiles.yaml"));

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + fifo).run(TlsInitApp.class);

        assertEquals(0, result.exitCode, result.toString());
        assertTrue(result.stdout.contains(TlsInitApp.HELLO), result.toString());
        assertEquals(1, result.stderrLinesWith(fifo + NOT_REGULAR).size(), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void strictStopsTheJvmWithTheFifoNamedInsteadOfHangingBeforeMain(Path java) throws Exception {
        Path fifo = Fifos.create(folder("strict", java).resolve("profiles.yaml"));

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + fifo + ",strict=true").run(HelloApp.class);

        assertEquals(1, result.exitCode, result.toString());
        assertFalse(result.stdout.contains(HELLO), result.toString());
        assertTrue(result.stderr.contains(fifo + NOT_REGULAR), result.toString());
        assertEquals(1, result.stderrLinesWith("strict=true").size(), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void aFifoInEveryKeyMaterialAndSecretPositionIsNamedAtTheFirstUseOfTls(Path java) throws Exception {
        Positions positions = new Positions(folder("positions", java));

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + positions.profiles).run(TlsInitApp.class);

        assertEquals(0, result.exitCode, result.toString());
        assertTrue(result.stdout.contains(TlsInitApp.HELLO), result.toString());
        for (Path fifo : positions.fifos) {
            assertFalse(result.stderrLinesWith(fifo + NOT_REGULAR).isEmpty(), fifo + "\n" + result);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void aKeyTurnedIntoAFifoOnReloadKeepsTheLastGoodIdentityAndTheFixIsApplied(Path java) throws Exception {
        Path dir = folder("reload", java);
        Path profiles = ProfileFiles.yaml(dir.resolve("profiles.yaml"),
                ProfileFiles.profile("backend", setup.client, "localhost"));
        Path key = dir.resolve("backend.key");
        TestCertificate renewed = setup.ca.issue("it-client-renewed").subject("CN=it-client-renewed,O=mtls-agent")
                .clientAuth().create();
        String first = "/hanging/" + java.hashCode() + "/first";
        String stuck = "/hanging/" + java.hashCode() + "/while-fifo";
        String fixed = "/hanging/" + java.hashCode() + "/fixed";
        try (ChildJvm.Running app = setup.trustingClient(ChildJvm.on(java))
                .agent("profiles=" + profiles + ",reload=200ms").start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            app.send(backends.requiredUrl("localhost", first));
            app.awaitLine("done", 1);

            Files.delete(key);
            Fifos.create(key);
            awaitStderr(app, key + NOT_REGULAR);
            app.send(backends.requiredUrl("localhost", stuck));
            app.awaitLine("done", 2);

            Files.delete(key);
            renewed.writeChain(dir.resolve("backend-chain.pem"));
            TestPki.ownerOnly(renewed.writePkcs8Key(key));
            awaitStderr(app, "reloaded " + profiles);
            app.send(backends.requiredUrl("localhost", fixed));
            app.awaitLine("done", 3);
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(0, result.exitCode, result.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(first), result.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(stuck), result.toString());
            assertEquals("CN=it-client-renewed,O=mtls-agent", backends.subjectSeen(fixed), result.toString());
            assertEquals(1, result.stderrLinesWith(key + NOT_REGULAR).size(), "said once:\n" + result);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void attachWithAFifoProfileFileReturnsAndLeavesTheAttachListenerFree(Path java) throws Exception {
        Path fifo = Fifos.create(folder("attach", java).resolve("profiles.yaml"));
        try (ChildJvm.Running app = attachable(ChildJvm.on(java)).start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            String pid = Long.toString(app.process.pid());

            ChildJvm.Result attach = ChildJvm.on(java).runAgentJar(directory, "attach", pid, "profiles=" + fifo);
            ChildJvm.Result jcmd = run(java.resolveSibling("jcmd").toString(), pid, "Thread.print");
            app.send("");
            ChildJvm.Result result = app.finish();

            // The attach command returned, names the FIFO and fails; so does the JVM's log.
            assertEquals(1, attach.exitCode, attach.toString());
            assertTrue(attach.stderr.contains("problem: " + fifo + NOT_REGULAR), attach.toString());
            assertEquals(1, result.stderrLinesWith(fifo + NOT_REGULAR).size(), result.toString());
            assertEquals(0, jcmd.exitCode, jcmd.toString());
            assertTrue(jcmd.stdout.contains("Full thread dump"), jcmd.toString());
            assertEquals(0, result.exitCode, result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void attachWithAFifoInEveryPositionNamesEachInThatJvmsLog(Path java) throws Exception {
        Positions positions = new Positions(folder("attach-positions", java));
        try (ChildJvm.Running app = attachable(ChildJvm.on(java)).start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);

            ChildJvm.Result attach = ChildJvm.on(java).runAgentJar(directory, "attach",
                    Long.toString(app.process.pid()), "profiles=" + positions.profiles);
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(1, attach.exitCode, attach.toString());
            for (Path fifo : positions.fifos) {
                assertTrue(attach.stderr.contains(fifo + NOT_REGULAR), fifo + "\n" + attach);
                assertFalse(result.stderrLinesWith(fifo + NOT_REGULAR).isEmpty(), fifo + "\n" + result);
            }
            assertEquals(0, result.exitCode, result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void checkNamesEveryFifoAndReturns(Path java) throws Exception {
        Positions positions = new Positions(folder("check", java));
        Path fifo = Fifos.create(positions.dir.resolve("fifo-profiles.yaml"));

        ChildJvm.Result file = ChildJvm.on(java).runAgentJar(directory, "check", fifo.toString());
        ChildJvm.Result material = ChildJvm.on(java).runAgentJar(directory, "check", positions.profiles.toString());

        assertEquals(1, file.exitCode, file.toString());
        assertTrue((file.stdout + file.stderr).contains(fifo + NOT_REGULAR), file.toString());
        assertEquals(1, material.exitCode, material.toString());
        for (Path each : positions.fifos) {
            assertTrue((material.stdout + material.stderr).contains(each + NOT_REGULAR), each + "\n" + material);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void whichAndProbeWithAFifoProfileFileSayWhyAndReturn(Path java) throws Exception {
        Path fifo = Fifos.create(folder("which", java).resolve("profiles.yaml"));

        ChildJvm.Result which = ChildJvm.on(java).runAgentJar(directory, "which", fifo.toString(), "localhost");
        ChildJvm.Result probe = ChildJvm.on(java).runAgentJar(directory, "probe", fifo.toString(),
                "localhost:" + backends.required.port());

        assertEquals(1, which.exitCode, which.toString());
        assertTrue((which.stdout + which.stderr).contains(fifo + NOT_REGULAR), which.toString());
        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue((probe.stdout + probe.stderr).contains(fifo + NOT_REGULAR), probe.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void whichAndProbeNameAKeyThatIsAFifoAndReturn(Path java) throws Exception {
        Path dir = folder("which-key", java);
        setup.client.writeChain(dir.resolve("client-chain.pem"));
        Path fifo = Fifos.create(dir.resolve("client.key"));
        Path profiles = Files.writeString(dir.resolve("profiles.yaml"), String.join("\n", "version: 1",
                "profiles:", "  - name: backend", "    hosts: [localhost]",
                "    identity: {certificate: client-chain.pem, key: client.key}", ""));

        ChildJvm.Result which = ChildJvm.on(java).runAgentJar(directory, "which", profiles.toString(), "localhost");
        ChildJvm.Result probe = setup.trustingClient(ChildJvm.on(java)).runAgentJar(directory, "probe",
                profiles.toString(), "localhost:" + backends.required.port());

        assertTrue((which.stdout + which.stderr).contains(fifo + NOT_REGULAR), which.toString());
        assertEquals(1, probe.exitCode, probe.toString());
        assertTrue((probe.stdout + probe.stderr).contains(fifo + NOT_REGULAR), probe.toString());
    }

    /**
     * One profile per position, each with a FIFO in that one position and real files elsewhere:
     * identity certificate, key, keystore, a {@code ${file:}} secret, trust certificates and
     * trust keystore.
     */
    private static final class Positions {
        final Path dir;
        final Path profiles;
        final List<Path> fifos;

        Positions(Path dir) throws Exception {
            this.dir = dir;
            setup.client.writeChain(dir.resolve("client-chain.pem"));
            TestPki.ownerOnly(setup.client.writePkcs8Key(dir.resolve("client.key")));
            TestPki.ownerOnly(setup.client.writeKeyStore(dir.resolve("client.p12"), "PKCS12", "changeit", "changeit",
                    "client"));
            fifos = List.of(Fifos.create(dir.resolve("fifo-chain.pem")), Fifos.create(dir.resolve("fifo.key")),
                    Fifos.create(dir.resolve("fifo.p12")), Fifos.create(dir.resolve("fifo-password.txt")),
                    Fifos.create(dir.resolve("fifo-ca.pem")), Fifos.create(dir.resolve("fifo-truststore.p12")));
            String pem = "{certificate: client-chain.pem, key: client.key}";
            profiles = Files.writeString(dir.resolve("profiles.yaml"), String.join("\n",
                    "version: 1",
                    "profiles:",
                    "  - name: certificate",
                    "    hosts: [certificate.fifo.test]",
                    "    identity: {certificate: fifo-chain.pem, key: client.key}",
                    "  - name: key",
                    "    hosts: [key.fifo.test]",
                    "    identity: {certificate: client-chain.pem, key: fifo.key}",
                    "  - name: keystore",
                    "    hosts: [keystore.fifo.test]",
                    "    identity: {keystore: fifo.p12, storePassword: changeit}",
                    "  - name: secret",
                    "    hosts: [secret.fifo.test]",
                    "    identity: {keystore: client.p12, storePassword: \"${file:fifo-password.txt}\"}",
                    "  - name: trust-certificates",
                    "    hosts: [trust.fifo.test]",
                    "    identity: " + pem,
                    "    trust: {certificates: fifo-ca.pem}",
                    "  - name: trust-keystore",
                    "    hosts: [truststore.fifo.test]",
                    "    identity: " + pem,
                    "    trust: {keystore: fifo-truststore.p12, storePassword: changeit}",
                    ""));
        }
    }

    /** As AttachIT: JDK 21+ warns about a late agent unless this is set; JDK 17 ignores the flag. */
    private static ChildJvm attachable(ChildJvm jvm) {
        return jvm.jvmArgument("-XX:+IgnoreUnrecognizedVMOptions").jvmArgument("-XX:+EnableDynamicAgentLoading");
    }

    private static Path folder(String name, Path java) throws IOException {
        return Files.createDirectories(directory.resolve(name + "-" + Integer.toHexString(java.hashCode())));
    }


    /** Waits (60 s at most, a guard rather than a timing assertion) for the child to log a line. */
    private static void awaitStderr(ChildJvm.Running app, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!app.stderr().contains(text)) {
            if (!app.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the child JVM never logged '" + text + "':\n" + app.stderr());
            }
            Thread.sleep(50);
        }
    }

    private static ChildJvm.Result run(String... command) throws Exception {
        Path out = Files.createTempFile("hanging-files", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not return within 60 s: "
                    + Files.readString(out));
        }
        return new ChildJvm.Result(List.of(command), process.exitValue(), Files.readString(out), "");
    }
}
