package dev.mtls.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.itapps.JmxProbeApp;
import dev.mtls.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent seen over JMX in a running application, as an operator's console sees it. */
class JmxIT {
    @TempDir
    Path directory;

    @Test
    void showsTheAgentAndReloadsAtOnceWhenAsked() throws Exception {
        TestSetup setup = new TestSetup(directory);
        // reload=0: no timer, so only the JMX operation can bring the edit in.
        try (TestBackends backends = new TestBackends(setup.server, setup.ca);
                ChildJvm.Running app = setup.trustingClient(ChildJvm.on(ChildJvm.javaExecutables().findFirst().orElseThrow()))
                .agent("profiles=" + setup.profiles + ",reload=0").start(JmxProbeApp.class)) {
            app.awaitLine("ready", 1);
            String before = app.stdout();
            assertTrue(before.contains("file=" + setup.profiles), before);
            assertTrue(before.contains("generation=1\n"), before);
            assertTrue(before.contains("profiles=1\n"), before);
            // Each profile as CompositeData, its certificate's subject (RFC 2253, as check prints it) and its
            // handshake count (none made yet).
            assertTrue(before.contains("profile " + TestSetup.PROFILE + " subject=" + TestSetup.CLIENT_SUBJECT
                    + " handshakes=0\n"), before);

            String profile = "profile " + TestSetup.PROFILE + " subject=" + TestSetup.CLIENT_SUBJECT;
            app.send("call " + backends.requiredUrl("localhost", "/jmx/1"));
            app.awaitLine("called", 1);
            assertEquals(TestSetup.CLIENT_SUBJECT, backends.subjectSeen("/jmx/1"));
            assertTrue(app.stdout().contains(profile + " handshakes=1\n"), app.stdout());

            String profiles = Files.readString(setup.profiles, StandardCharsets.UTF_8);
            Files.writeString(setup.profiles, profiles + "  - name: added-over-jmx\n    hosts: [jmx.internal]\n"
                    + "    trust: {certificates: client-chain.pem}\n");
            app.send("reload");
            app.awaitLine("reloaded", 1);

            String after = app.stdout();
            assertTrue(after.contains("generation=2\n"), after);
            // The count survives the reload (the profile file changed, this profile did not).
            String afterReload = after.substring(after.lastIndexOf("generation=2\n"));
            assertTrue(afterReload.contains(profile + " handshakes=1\n"), after);
            assertTrue(after.lines().anyMatch(line -> line.startsWith("reload=") && line.contains("added-over-jmx")),
                    after);
            app.process.getOutputStream().close();
            assertEquals(0, app.finish().exitCode);
        }
    }
}
