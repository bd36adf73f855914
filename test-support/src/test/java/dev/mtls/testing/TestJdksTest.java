package dev.mtls.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TestJdksTest {
    private static final Path HOME = Path.of(System.getProperty("java.home"));
    private static final Path JAVA = HOME.resolve("bin").resolve("java");

    @Test
    void runsOnTheJdkRunningTheTestsWhenThePropertyIsUnset() {
        assertThat(TestJdks.javaExecutables("")).containsExactly(JAVA);
    }

    @Test
    void takesJavaHomesAndJavaExecutablesAndListsEachJdkOnce() {
        assertThat(TestJdks.javaExecutables(HOME + ", " + JAVA + ",")).containsExactly(JAVA);
    }

    @Test
    void namesAJdkByItsFeatureVersion() {
        assertThat(TestJdks.name(JAVA)).isEqualTo("JDK " + Runtime.version().feature());
    }

    @Test
    void refusesAnEntryThatIsNoJdkNamingIt() {
        assertThatThrownBy(() -> TestJdks.javaExecutables(HOME + ",/nowhere/jdk-99"))
                .hasMessage("mtls.test.jdks lists '/nowhere/jdk-99', which is neither a java home nor a java executable");
    }
}
