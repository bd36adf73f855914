package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.itapps.ContextGcApp;
import dev.mtls.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent registers every SSLContext its init hook wraps, for the session sweep after a reload
 * (docs/RELOAD.md, "Cached TLS sessions"): held weakly, so an application that drops its contexts
 * still gets them collected, with their session caches, although the sweeper has gone through them
 * on every check.
 * The provider's WrappedContextsTest shows the registry alone; this is the agent's whole path.
 */
class WrappedContextsGcIT {
    private static final int CONTEXTS = 20;

    @TempDir
    Path directory;

    @Test
    void contextsTheApplicationDropsAreCollectedAlthoughTheAgentSweptThem() throws Exception {
        TestSetup setup = new TestSetup(directory);
        try (TestBackends backends = new TestBackends(setup.server, setup.ca)) {
            ChildJvm.Result result = setup.trustingClient(ChildJvm.on(Path.of(System.getProperty("java.home"), "bin",
                    "java")))
                    .agent("profiles=" + setup.profiles + ",reload=200ms")
                    .run(ContextGcApp.class, Integer.toString(CONTEXTS), "1000", backends.requiredUrl("localhost", "/gc"));

            assertEquals(0, result.exitCode, result.toString());
            List<String> lines = result.stdout.lines().collect(Collectors.toList());
            int registered = Integer.parseInt(lines.get(0).substring("registered ".length()));
            assertTrue(registered >= CONTEXTS, result.toString());
            assertEquals("collected " + CONTEXTS + " of " + CONTEXTS, lines.get(1), result.toString());
            assertEquals("registered after 0", lines.get(2), result.toString());
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen("/gc"), result.toString());
            assertTrue(Files.exists(setup.profiles));
        }
    }
}
