package dev.mtls.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What attach checks before it touches another JVM; attaching itself is in AttachIT, from the built jar. */
class AttachCommandTest {

    @Test
    void makesTheProfilePathAndBaseAbsoluteAndKeepsTheOtherOptions() {
        String here = Path.of("").toAbsolutePath().toString();

        String options = AttachCommand.withAbsolutePaths("profiles=conf/profiles.yaml,reload=5s,base=../wso2,log=debug");

        assertEquals("profiles=" + here + "/conf/profiles.yaml,reload=5s,base=" + Path.of(here).getParent()
                + "/wso2,log=debug", options);
    }

    @Test
    void leavesAbsolutePathsAsTheyAre() {
        assertEquals("profiles=/etc/mtls/profiles.yaml,strict=true",
                AttachCommand.withAbsolutePaths("profiles=/etc/mtls/profiles.yaml,strict=true"));
    }

    @Test
    void refusesSomethingThatIsNotAProcessId() {
        CommandLineRun run = CommandLineRun.of("attach", "my-app", "profiles=/etc/mtls/profiles.yaml");

        assertEquals(MtlsCommandLine.USAGE, run.status, run.toString());
        assertTrue(run.err.startsWith("mtls-agent attach: not a process id: my-app"), run.toString());
    }

    @Test
    void needsAProcessId() {
        CommandLineRun run = CommandLineRun.of("attach");

        assertEquals(MtlsCommandLine.USAGE, run.status, run.toString());
        assertTrue(run.err.contains("expected a process id"), run.toString());
    }

    @Test
    void saysToRunItFromTheJarWhenRunFromClasses() {
        CommandLineRun run = CommandLineRun.of("attach", "1", "profiles=/etc/mtls/profiles.yaml");

        assertEquals(MtlsCommandLine.PROBLEM, run.status, run.toString());
        assertTrue(run.err.contains("run this command from the agent jar"), run.toString());
    }
}
