package dev.mtls.agent.it;

import dev.mtls.testing.ChildJvm;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture of the integration tests that run child JVMs against the two JDK backends: the test
 * PKI and profile file in a folder of the test class's own, the backend that requires a client
 * certificate and the one that only asks, and the JDKs to run on. Set up once per test class.
 */
abstract class WithBackends {
    @TempDir
    static Path directory;
    static TestSetup setup;
    static TestBackends backends;

    @BeforeAll
    static void startBackends() throws Exception {
        setup = new TestSetup(directory);
        backends = new TestBackends(setup.server, setup.ca);
    }

    @AfterAll
    static void stopBackends() {
        if (backends != null) {
            backends.close();
            backends = null;
        }
    }

    static Stream<Path> jdks() {
        return ChildJvm.javaExecutables();
    }
}
