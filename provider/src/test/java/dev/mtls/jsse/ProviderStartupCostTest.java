package dev.mtls.jsse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JDK may construct every ServiceLoader-registered provider while it looks for another one,
 * so constructing ours must load nothing heavy. Checked in a fresh JVM that logs class loading.
 */
class ProviderStartupCostTest {
    private static final List<String> NEVER_AT_CONSTRUCTION = List.of(
            "org.bouncycastle.", "org.snakeyaml.", "com.github.benmanes.caffeine.");
    /** The profile model and its loader, which live outside dev.mtls.profile since the packages were cut by role. */
    private static final List<String> LOADED_PROFILE_MODEL = List.of("dev.mtls.snapshot.ProfileLoader",
            "dev.mtls.snapshot.LoadResult", "dev.mtls.snapshot.LoadedProfile", "dev.mtls.snapshot.ProfileSnapshot",
            "dev.mtls.log.Printable");

    @Test
    void constructingTheProviderLoadsNoProfileMachinery() throws Exception {
        List<String> loaded = classesLoadedBy("plain");
        assertTrue(loaded.contains("dev.mtls.jsse.MtlsProvider"), "the child JVM did construct the provider");
        List<String> heavy = loaded.stream()
                .filter(name -> NEVER_AT_CONSTRUCTION.stream().anyMatch(name::startsWith)
                        || name.startsWith("dev.mtls.profile.") || name.startsWith("dev.mtls.match.")
                        || name.startsWith("dev.mtls.material.") || LOADED_PROFILE_MODEL.contains(name))
                .collect(Collectors.toList());
        assertEquals(List.of(), heavy);
    }

    @Test
    void configuringAProfilePathDefersReadingItToTheFirstHandshake() throws Exception {
        List<String> loaded = classesLoadedBy("configured");
        List<String> heavy = loaded.stream()
                .filter(name -> NEVER_AT_CONSTRUCTION.stream().anyMatch(name::startsWith)
                        || name.equals("dev.mtls.snapshot.ProfileLoader"))
                .collect(Collectors.toList());
        assertEquals(List.of(), heavy);
    }

    private static List<String> classesLoadedBy(String mode) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xshare:auto", "-Xlog:class+load=info", "-cp", classPath,
                Child.class.getName(), mode).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("constructed"), output);
        return output.lines()
                .filter(line -> line.contains("[class,load]"))
                .map(line -> line.replaceAll(".*\\[class,load\\] (\\S+).*", "$1"))
                .collect(Collectors.toList());
    }

    /** Runs in the child JVM. */
    static final class Child {
        public static void main(String[] args) {
            MtlsProvider provider = new MtlsProvider();
            if (args[0].equals("configured")) {
                provider.configure("/nonexistent/profiles.yaml");
            }
            System.out.println("constructed");
        }
    }
}
