package dev.mtls.agent;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import dev.mtls.jsse.MtlsProvider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of both modules are cut by role and depend on each other in one direction only
 * (docs/ARCHITECTURE.md; each package-info.java says what it may use). A change that adds a cycle
 * or reaches from a lower package into a higher one fails here, naming the classes involved.
 * Only the main classes of the provider and the agent are checked: tests may cross packages.
 */
class PackageDependenciesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // The two modules' own class directories (or jars, in a reactor build): not the test
        // classes, not the provider's test-jar, and no shaded library.
        List<Location> locations = new ArrayList<>();
        locations.add(Location.of(MtlsProvider.class.getProtectionDomain().getCodeSource().getLocation()));
        locations.add(Location.of(AgentMain.class.getProtectionDomain().getCodeSource().getLocation()));
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/dev/mtls/shaded/"))
                .importLocations(locations);
    }

    @Test
    void topLevelPackagesFormNoCycle() {
        slices().matching("dev.mtls.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void agentPackagesFormNoCycle() {
        slices().matching("dev.mtls.agent.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        // Also catches a cycle between dev.mtls.agent itself and one of its sub-packages.
        slices().matching("dev.mtls.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void fileReadsDependOnNoOtherPackage() {
        dependsOnlyOn("files");
    }

    @Test
    void loggingDependsOnNoOtherPackage() {
        dependsOnlyOn("log");
    }

    @Test
    void hostMatchingDependsOnNoOtherPackage() {
        dependsOnlyOn("match");
    }

    @Test
    void theProfileFileModelDependsOnlyOnFileReadsAndLogging() {
        dependsOnlyOn("profile", "files", "log");
    }

    @Test
    void keyMaterialDependsOnlyOnTheProfileModelFileReadsAndLogging() {
        dependsOnlyOn("material", "profile", "files", "log");
    }

    @Test
    void theSnapshotKnowsNothingOfJsseSessionsReloadOrTheAgent() {
        dependsOnlyOn("snapshot", "profile", "material", "match", "files", "log");
    }

    @Test
    void listenersKnowNothingOfJsseSessionsReloadOrTheAgent() {
        dependsOnlyOn("listen", "revocation", "snapshot", "profile", "material", "match", "files", "log");
    }

    @Test
    void revocationKnowsOnlyTheSpecsTheMaterialAndTheFiles() {
        dependsOnlyOn("revocation", "profile", "material", "files", "log");
    }

    @Test
    void theProviderNeverDependsOnTheReloadOrTheAgent() {
        // MtlsProvider starts the reload by class name, so a provider-only JVM loads it only when asked.
        dependsOnlyOn("jsse", "listen", "revocation", "sessions", "snapshot", "profile", "material", "match", "files",
                "log");
    }

    @Test
    void theProviderModuleNeverDependsOnTheAgent() {
        noClasses().that().resideOutsideOfPackage("dev.mtls.agent..")
                .should().dependOnClassesThat().resideInAPackage("dev.mtls.agent..")
                .check(classes);
    }

    /** Classes in dev.mtls.{@code layer} use no dev.mtls package but their own and the {@code allowed} ones. */
    private static void dependsOnlyOn(String layer, String... allowed) {
        String[] permitted = new String[allowed.length + 1];
        permitted[0] = "dev.mtls." + layer + "..";
        for (int i = 0; i < allowed.length; i++) {
            permitted[i + 1] = "dev.mtls." + allowed[i] + "..";
        }
        noClasses().that().resideInAPackage("dev.mtls." + layer + "..")
                .should().dependOnClassesThat(resideInAPackage("dev.mtls..").and(not(resideInAnyPackage(permitted))))
                .check(classes);
    }
}
