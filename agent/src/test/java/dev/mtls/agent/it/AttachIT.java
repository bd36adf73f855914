package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import dev.mtls.itapps.WaitingClientApp;
import dev.mtls.testing.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent attached to a JVM that is already running and has already loaded SSLContext, so the
 * hook is installed by retransformation rather than as SSLContext loads.
 */
class AttachIT extends WithBackends {
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void presentsProfileCertificateAfterAttachingToARunningJvm(Path java) throws Exception {
        String before = "/attach/" + java.hashCode() + "/before/localhost";
        String after = "/attach/" + java.hashCode() + "/after/localhost";
        try (ChildJvm.Running app = attachable(setup.trustingClient(ChildJvm.on(java)))
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            app.send(backends.optionalUrl("localhost", before));
            app.awaitLine("done", 1);

            attach(app, "profiles=" + setup.profiles);
            app.send(backends.requiredUrl("localhost", after));
            app.awaitLine("done", 2);
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(0, result.exitCode, result.toString());
            assertEquals(TestBackends.NONE, backends.subjectSeen(before), result.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(after), result.toString());
            assertEquals(1, result.stderrLinesWith("mtls-agent: 1 profile from " + setup.profiles + " (attached").size(),
                    result.toString());
            // Both hooks went in by retransformation (SSLContext and the session cache were in use): nothing to warn about.
            assertEquals(1, result.stderrLinesWith("mtls-agent").size(), result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void neverStopsARunningJvmWhenStrict(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");
        try (ChildJvm.Running app = attachable(ChildJvm.on(java))
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);

            attach(app, "profiles=" + missing + ",strict=true");
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(0, result.exitCode, result.toString());
            assertEquals(1, result.stderrLinesWith("mtls-agent: not started: strict=true").size(), result.toString());
        }
    }

    /**
     * An attach reports every problem with a non-zero exit, even when the agent runs on; another
     * attach applies its own options and says so. Also after {@code -javaagent}, whose profile file
     * (missing here) was read at most once, when the application set TLS up.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void aSecondAttachAppliesItsOptionsAndEachExitsNonZeroOnAnyProblem(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");
        String during = "/reattach/" + java.hashCode() + "/during/localhost";
        String after = "/reattach/" + java.hashCode() + "/after/localhost";
        try (ChildJvm.Running app = attachable(setup.trustingClient(ChildJvm.on(java)))
                .agent("profiles=" + missing).start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);
            String pid = Long.toString(app.process.pid());

            ChildJvm.Result first = ChildJvm.on(java).runAgentJar(directory, "attach", pid,
                    "profiles=" + setup.profiles + ",relaod=5s");
            app.send(backends.requiredUrl("localhost", during));
            app.awaitLine("done", 1);
            ChildJvm.Result second = ChildJvm.on(java).runAgentJar(directory, "attach", pid,
                    "profiles=" + setup.profiles);
            app.send(backends.requiredUrl("localhost", after));
            app.awaitLine("done", 2);
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(1, first.exitCode, first.toString());
            assertTrue(first.stderr.startsWith("mtls-agent: JVM " + pid + ": applied: these options replace the ones"
                    + " the agent had; 1 profile from " + setup.profiles), first.toString());
            assertTrue(first.stderr.contains("\n  problem: ") && first.stderr.contains("unknown option 'relaod'"),
                    first.toString());
            assertEquals(0, second.exitCode, second.toString());
            assertEquals("mtls-agent: JVM " + pid + ": applied: these options replace the ones the agent had;"
                    + " 1 profile from " + setup.profiles + "\n  note: SSLContexts initialised before now keep"
                    + " their managers", second.stdout.strip(), second.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(during), result.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(after), result.toString());
            assertEquals(0, result.exitCode, result.toString());
            assertEquals(2, result.stderrLinesWith("mtls-agent: 1 profile from " + setup.profiles + " (attached")
                    .size(), result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void attachCommandLoadsTheAgentAndPrintsWhatItLoaded(Path java) throws Exception {
        String after = "/attach-command/" + java.hashCode() + "/localhost";
        try (ChildJvm.Running app = attachable(setup.trustingClient(ChildJvm.on(java)))
                .start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);

            // A relative path: the command makes it absolute, the running JVM's working directory is elsewhere.
            ChildJvm.Result command = ChildJvm.on(java).runAgentJar(setup.profiles.getParent(),
                    "attach", Long.toString(app.process.pid()), "profiles=" + setup.profiles.getFileName());
            app.send(backends.requiredUrl("localhost", after));
            app.awaitLine("done", 1);
            app.send("");
            ChildJvm.Result result = app.finish();

            assertEquals(0, command.exitCode, command.toString());
            assertEquals("mtls-agent: JVM " + app.process.pid() + ": started: 1 profile from " + setup.profiles
                    + "\n  note: SSLContexts initialised before now keep their managers", command.stdout.strip(),
                    command.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(after), result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void attachCommandShowsWhyTheAgentDidNotStart(Path java) throws Exception {
        try (ChildJvm.Running app = attachable(ChildJvm.on(java)).start(WaitingClientApp.class)) {
            app.awaitLine("ready", 1);

            ChildJvm.Result command = ChildJvm.on(java).runAgentJar(directory, "attach",
                    Long.toString(app.process.pid()), "profiles=no-such-profiles.yaml,strict=true");
            app.send("");
            app.finish();

            assertEquals(1, command.exitCode, command.toString());
            assertTrue(command.stderr.startsWith("mtls-agent: JVM " + app.process.pid()
                    + ": not started: strict=true and the configuration has 1 problem"), command.toString());
            assertTrue(command.stderr.contains(directory.resolve("no-such-profiles.yaml") + ": file not found"),
                    command.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void attachCommandSaysWhenThereIsNoSuchJvm(Path java) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();

        ChildJvm.Result command = ChildJvm.on(java).runAgentJar(directory, "attach", Long.toString(ended.pid()),
                "profiles=" + setup.profiles);

        assertEquals(1, command.exitCode, command.toString());
        assertTrue(command.stderr.startsWith("mtls-agent attach: cannot attach to JVM " + ended.pid() + ": "),
                command.toString());
    }

    /**
     * JDK 21+ warns about an agent loaded into a running JVM unless this is set; older JDK 17
     * builds do not know the flag, hence IgnoreUnrecognizedVMOptions.
     */
    private static ChildJvm attachable(ChildJvm jvm) {
        return jvm.jvmArgument("-XX:+IgnoreUnrecognizedVMOptions").jvmArgument("-XX:+EnableDynamicAgentLoading");
    }

    private static void attach(ChildJvm.Running app, String arguments) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(app.process.pid()));
        try {
            vm.loadAgent(ChildJvm.agentJar(), arguments);
        } finally {
            vm.detach();
        }
    }
}
