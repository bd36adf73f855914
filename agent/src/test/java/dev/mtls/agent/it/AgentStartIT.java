package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mtls.itapps.ExitingApp;
import dev.mtls.itapps.HelloApp;
import dev.mtls.itapps.HttpsClientApp;
import dev.mtls.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How the agent starts, fails to start, and is configured, seen from outside a child JVM. */
class AgentStartIT extends WithBackends {
    private static final String HELLO = "hello from the application";

    /** Errors show at the first use of TLS: the profile file is read then, not at start. */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void reportsAMissingProfileFileAtTheFirstUseOfTlsAndRunsOn(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");
        String path = "/missing/" + java.hashCode() + "/localhost";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + missing)
                .run(HttpsClientApp.class, "urlconnection", backends.optionalUrl("localhost", path));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestBackends.NONE, backends.subjectSeen(path), result.toString());
        // The JDK's default logging backend: "SEVERE: " before each error message.
        List<String> errors = result.stderrLinesWith("SEVERE: mtls-agent: ");
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains(missing.toString()) && errors.get(0).contains("file not found"),
                result.toString());
        assertEquals(List.of("WARNING: mtls-agent: " + missing + ": running with no profiles until the file can be"
                + " used"), result.stderrLinesWith("WARNING: mtls-agent: "), result.toString());
        assertFalse(result.stderr.contains("\tat "), result.toString());
    }

    /**
     * Set fleet-wide, the agent costs nothing in a JVM that never uses TLS: not even a broken
     * profile file is read, nothing is printed, and the exit does not wait for anything.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void saysNothingInAJvmThatNeverUsesTlsEvenWithABrokenProfileFile(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");

        ChildJvm.Result hello = ChildJvm.on(java).agent("profiles=" + missing).run(HelloApp.class);
        ChildJvm.Result exiting = ChildJvm.on(java).agent("profiles=" + missing).run(ExitingApp.class);

        assertEquals(0, hello.exitCode, hello.toString());
        assertEquals(HELLO, hello.stdout.strip(), hello.toString());
        assertEquals("", hello.stderr, hello.toString());
        assertEquals(0, exiting.exitCode, exiting.toString());
        assertEquals("exiting at once", exiting.stdout.strip(), exiting.toString());
        assertEquals("", exiting.stderr, exiting.toString());
    }

    /**
     * A JVM that never uses TLS, with a valid profile file set through JAVA_TOOL_OPTIONS as a fleet
     * would: none of the agent's profile, YAML, key-material, reload or logging classes load (nor the
     * JDK's logging backend), nor its hooks: only the entry point, the options and the transformer
     * that waits for the first use of TLS. Nothing of the agent's is printed.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void loadsNoneOfItsProfileClassesInAJvmThatNeverUsesTls(Path java) throws Exception {
        Path classLog = directory.resolve("classes-" + java.hashCode() + ".log");

        ChildJvm.Result result = ChildJvm.on(java)
                .environment("JAVA_TOOL_OPTIONS", "-javaagent:" + ChildJvm.agentJar())
                .environment("MTLS_PROFILES", setup.profiles.toString())
                .jvmArgument("-Xlog:class+load:file=" + classLog)
                .run(HelloApp.class);

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(HELLO, result.stdout.strip(), result.toString());
        assertEquals(List.of("Picked up JAVA_TOOL_OPTIONS: -javaagent:" + ChildJvm.agentJar()),
                result.stderr.lines().collect(Collectors.toList()), result.toString());
        List<String> classes = Files.readAllLines(classLog);
        assertTrue(classes.stream().anyMatch(line -> line.contains(" dev.mtls.agent.AgentMain ")),
                "the agent did not run at all: " + String.join("\n", classes));
        List<String> unexpected = classes.stream()
                .filter(line -> line.contains(" dev.mtls.profile.") || line.contains(" dev.mtls.material.")
                        || line.contains(" dev.mtls.snapshot.ProfileLoader ") || line.contains(" dev.mtls.snapshot.LoadResult ")
                        || line.contains(" dev.mtls.snapshot.LoadedProfile ")
                        || line.contains(" dev.mtls.snapshot.ProfileSnapshot ") || line.contains(" dev.mtls.log.Printable ")
                        || line.contains(" dev.mtls.shaded.") || line.contains(" dev.mtls.reload.")
                        || line.contains(" dev.mtls.log.MtlsLog ") || line.contains(" java.util.logging.")
                        || line.contains(" org.objectweb.asm."))
                .collect(Collectors.toList());
        assertEquals(List.of(), unexpected);
        // premain reads the options and registers the one transformer that waits for TLS: no hook,
        // session, snapshot or provider class loads until a class only TLS loads does.
        List<String> agentClasses = classes.stream()
                .filter(line -> line.contains(" dev.mtls.") && !line.contains(" dev.mtls.itapps."))
                .map(line -> line.substring(line.indexOf(" dev.mtls.") + 1).split(" ")[0].split("\\$")[0])
                .distinct()
                .collect(Collectors.toList());
        assertEquals(List.of("dev.mtls.agent.AgentMain", "dev.mtls.agent.AgentNotStartedException",
                "dev.mtls.agent.AgentOptions", "dev.mtls.agent.FirstTlsUse"), agentClasses);
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void exitsWithStatusOneWhenStrictAndProfileFileIsMissing(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + missing + ",strict=true").run(HelloApp.class);

        assertEquals(1, result.exitCode, result.toString());
        assertFalse(result.stdout.contains(HELLO), result.toString());
        assertEquals(1, result.stderrLinesWith(missing.toString()).size(), result.toString());
        assertEquals(1, result.stderrLinesWith("strict=true").size(), result.toString());
    }

    /**
     * strict=true stops the JVM whenever the agent does not start, whatever the reason: here a
     * security manager whose policy grants the agent nothing (JDK 17; later JDKs cannot enable one).
     * Without strict the same JVM runs on, with one line saying why the agent did not start.
     */
    @Test
    void exitsWithStatusOneWhenStrictAndASecurityManagerKeepsTheAgentFromStarting() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Runtime.version().feature() < 18, "a security manager can only be enabled up to JDK 17");
        Path policy = Files.writeString(directory.resolve("nothing.policy"), "grant {\n};\n");
        List<String> securityManager = List.of("-Djava.security.manager", "-Djava.security.policy==" + policy);

        ChildJvm strictJvm = ChildJvm.on(java).agent("profiles=" + setup.profiles + ",strict=true");
        ChildJvm lenientJvm = ChildJvm.on(java).agent("profiles=" + setup.profiles);
        for (String argument : securityManager) {
            strictJvm.jvmArgument(argument);
            lenientJvm.jvmArgument(argument);
        }
        ChildJvm.Result strict = strictJvm.run(HelloApp.class);
        ChildJvm.Result lenient = lenientJvm.run(HelloApp.class);

        assertEquals(1, strict.exitCode, strict.toString());
        assertFalse(strict.stdout.contains(HELLO), strict.toString());
        List<String> reason = strict.stderrLinesWith("mtls-agent: not started: ");
        assertEquals(1, reason.size(), strict.toString());
        assertTrue(reason.get(0).contains("access denied"), strict.toString());
        assertEquals(1, strict.stderrLinesWith("mtls-agent: strict=true and the agent did not start; exiting with"
                + " status 1").size(), strict.toString());
        assertEquals(0, lenient.exitCode, lenient.toString());
        assertEquals(HELLO, lenient.stdout.strip(), lenient.toString());
        assertEquals(1, lenient.stderrLinesWith("mtls-agent: not started: ").size(), lenient.toString());
    }

    /**
     * A runtime image without modules the agent's load needs (as {@code jlink} makes one; simulated
     * with {@code --limit-modules}): on JDK 17 neither java.logging nor jdk.crypto.ec is there, and
     * strict stops the JVM with the reason instead of running it without the profiles.
     */
    @Test
    void exitsWithStatusOneWhenStrictAndTheRuntimeLacksAModuleTheAgentNeeds() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Runtime.version().feature() < 18, "from JDK 22 on, EC is in java.base and the load needs no more");

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + setup.profiles + ",strict=true")
                .jvmArgument("--limit-modules").jvmArgument("java.base,java.instrument").run(HelloApp.class);

        assertEquals(1, result.exitCode, result.toString());
        assertFalse(result.stdout.contains(HELLO), result.toString());
        assertTrue(result.stderr.contains("mtls-agent: strict=true and the"), result.toString());
        assertTrue(result.stderr.contains(setup.profiles.toString()), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void exitsWithStatusOneWhenStrictAndAnOptionIsUnknown(Path java) throws Exception {
        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + setup.profiles + ",strict=true,relaod=5s")
                .run(HelloApp.class);

        assertEquals(1, result.exitCode, result.toString());
        assertEquals(1, result.stderrLinesWith("unknown option 'relaod'").size(), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void namesAnUnknownOptionAndRunsOn(Path java) throws Exception {
        String path = "/unknown-option/" + java.hashCode() + "/localhost";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + setup.profiles
                + ",relaod=5s").run(HttpsClientApp.class, "urlconnection", backends.requiredUrl("localhost", path));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path), result.toString());
        assertEquals(1, result.stderrLinesWith("unknown option 'relaod'").size(), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void saysWhyItDidNotStartWhenNoProfileFileIsGiven(Path java) throws Exception {
        ChildJvm.Result result = ChildJvm.on(java).agent(null).run(HelloApp.class);

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(HELLO, result.stdout.strip(), result.toString());
        List<String> lines = result.stderrLinesWith("mtls-agent");
        assertEquals(1, lines.size(), result.toString());
        assertTrue(lines.get(0).startsWith("mtls-agent: not started: no profile file"), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void startsOnceWhenGivenTwice(Path java) throws Exception {
        String path = "/twice/" + java.hashCode() + "/localhost";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java))
                .agent("profiles=" + setup.profiles)
                .agent("profiles=" + setup.profiles)
                .run(HttpsClientApp.class, "init-null-keymanager", backends.requiredUrl("localhost", path));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path), result.toString());
        assertEquals(1, result.stderrLinesWith("1 profile from").size(), result.toString());
        assertEquals(1, result.stderrLinesWith("mtls-agent: already started").size(), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void startsFromJavaToolOptionsAndEnvironment(Path java) throws Exception {
        String path = "/tool-options/" + java.hashCode() + "/localhost";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java))
                .environment("JAVA_TOOL_OPTIONS", "-javaagent:" + ChildJvm.agentJar())
                .environment("MTLS_PROFILES", setup.profiles.toString())
                .run(HttpsClientApp.class, "urlconnection", backends.requiredUrl("localhost", path));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path), result.toString());
        assertEquals(1, result.stderrLinesWith("mtls-agent: 1 profile from " + setup.profiles).size(),
                result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void agentArgumentWinsOverSystemPropertyWhichWinsOverEnvironment(Path java) throws Exception {
        Path fromProperty = directory.resolve("from-property.yaml");
        Path fromEnvironment = directory.resolve("from-environment.yaml");
        String path = "/precedence/" + java.hashCode() + "/localhost";

        // A real request through the default SSLContext: both hooks must follow the agent argument.
        ChildJvm.Result argumentWins = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + setup.profiles)
                .jvmArgument("-Dmtls.profiles=" + fromProperty)
                .environment("MTLS_PROFILES", fromEnvironment.toString())
                .run(HttpsClientApp.class, "urlconnection", backends.requiredUrl("localhost", path));
        ChildJvm.Result propertyWins = setup.trustingClient(ChildJvm.on(java)).agent(null)
                .jvmArgument("-Dmtls.profiles=" + setup.profiles)
                .environment("MTLS_PROFILES", fromEnvironment.toString())
                .run(HttpsClientApp.class, "urlconnection", backends.requiredUrl("localhost", path + "/property"));
        ChildJvm.Result environmentUsed = setup.trustingClient(ChildJvm.on(java)).agent("log=info")
                .environment("MTLS_PROFILES", setup.profiles.toString())
                .run(HttpsClientApp.class, "urlconnection", backends.requiredUrl("localhost", path + "/environment"));

        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path), argumentWins.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path + "/property"), propertyWins.toString());
        assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen(path + "/environment"), environmentUsed.toString());
        for (ChildJvm.Result result : List.of(argumentWins, propertyWins, environmentUsed)) {
            assertEquals(0, result.exitCode, result.toString());
            assertEquals(List.of("INFO: mtls-agent: 1 profile from " + setup.profiles),
                    result.stderrLinesWith("mtls-agent"), result.toString());
        }
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void neverFallsBackToThePropertysFileWhenTheArgumentsFileFails(Path java) throws Exception {
        Path missing = directory.resolve("no-such-profiles.yaml");
        String path = "/no-fallback/" + java.hashCode() + "/localhost";

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + missing)
                .jvmArgument("-Dmtls.profiles=" + setup.profiles)
                .run(HttpsClientApp.class, "urlconnection", backends.optionalUrl("localhost", path));

        assertEquals(0, result.exitCode, result.toString());
        assertEquals(TestBackends.NONE, backends.subjectSeen(path), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void saysNothingWithLogWarnWhenAllIsWell(Path java) throws Exception {
        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + setup.profiles + ",log=warn").run(HelloApp.class);

        assertEquals(0, result.exitCode, result.toString());
        assertEquals("", result.stderr, result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void reportsAProfileThatDoesNotLoadWithoutItsPasswordAndRunsOn(Path java) throws Exception {
        Path profiles = badPasswordProfile();

        ChildJvm.Result result = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles)
                .run(HttpsClientApp.class, "urlconnection", backends.optionalUrl("localhost", "/locked/"
                        + java.hashCode()));

        assertEquals(0, result.exitCode, result.toString());
        List<String> errors = result.stderrLinesWith("SEVERE: mtls-agent: ");
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains("profile 'locked'"), result.toString());
        assertFalse(result.stderr.contains("wrong-secret-7731"), result.toString());
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void exitsWithStatusOneWhenStrictAndAProfileDoesNotLoad(Path java) throws Exception {
        Path profiles = badPasswordProfile();

        ChildJvm.Result result = ChildJvm.on(java).agent("profiles=" + profiles + ",strict=true").run(HelloApp.class);

        assertEquals(1, result.exitCode, result.toString());
        assertFalse(result.stdout.contains(HELLO), result.toString());
        assertEquals(1, result.stderrLinesWith("profile 'locked'").size(), result.toString());
        assertFalse(result.stderr.contains("wrong-secret-7731"), result.toString());
    }

    /**
     * The {@code log} option filters every agent line, including the warning the provider writes
     * from inside a handshake when an optional profile connects without its certificate.
     */
    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void logOptionAlsoFiltersWhatTheProviderSaysDuringAHandshake(Path java) throws Exception {
        Path profiles = Files.writeString(directory.resolve("optional-broken.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: maybe",
                "    mode: optional",
                "    hosts: [localhost]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: no-such.key",
                ""));
        String warning = "profile 'maybe' (optional) has no usable client certificate";

        ChildJvm.Result byDefault = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles)
                .run(HttpsClientApp.class, "urlconnection", backends.optionalUrl("localhost", "/log/default/" + java.hashCode()));
        ChildJvm.Result errorsOnly = setup.trustingClient(ChildJvm.on(java)).agent("profiles=" + profiles + ",log=error")
                .run(HttpsClientApp.class, "urlconnection", backends.optionalUrl("localhost", "/log/error/" + java.hashCode()));

        assertEquals(0, byDefault.exitCode, byDefault.toString());
        assertEquals(1, byDefault.stderrLinesWith(warning).size(), byDefault.toString());
        assertEquals(0, errorsOnly.exitCode, errorsOnly.toString());
        assertEquals(0, errorsOnly.stderrLinesWith(warning).size(), errorsOnly.toString());
        // The load error stays: errors pass at every setting.
        assertEquals(1, errorsOnly.stderrLinesWith("profile 'maybe'").size(), errorsOnly.toString());
        assertEquals(TestBackends.NONE, backends.subjectSeen("/log/error/" + java.hashCode()), errorsOnly.toString());
    }

    /** An encrypted key given the wrong password: the profile cannot load, and the password must never show. */
    private static Path badPasswordProfile() throws Exception {
        Path key = setup.client.writeEncryptedPkcs8Key(directory.resolve("locked.key"), "right-secret");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return Files.writeString(directory.resolve("locked.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: locked",
                "    hosts: [localhost]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: locked.key",
                "      keyPassword: wrong-secret-7731",
                ""));
    }
}
