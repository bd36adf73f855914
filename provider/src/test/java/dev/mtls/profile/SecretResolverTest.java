package dev.mtls.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    @TempDir
    Path dir;

    private final SecretResolver resolver = new SecretResolver(Map.of("CLIENT_KEY_PASSWORD", "env-secret", "EMPTY", ""),
            properties("trust.pw", "sys-secret"));

    @Test
    void leavesTextWithoutReferencesAlone() {
        assertEquals("plain password", resolver.resolve("plain password", dir));
        assertEquals("", resolver.resolve("", dir));
    }

    @Test
    void expandsEnvironmentVariablesAndSystemProperties() {
        assertEquals("env-secret", resolver.resolve("${env:CLIENT_KEY_PASSWORD}", dir));
        assertEquals("sys-secret", resolver.resolve("${sys:trust.pw}", dir));
        assertEquals("", resolver.resolve("${env:EMPTY}", dir));
    }

    @Test
    void expandsEveryReferenceInOneValue() {
        assertEquals("a-env-secret-b-sys-secret-c",
                resolver.resolve("a-${env:CLIENT_KEY_PASSWORD}-b-${sys:trust.pw}-c", dir));
    }

    @Test
    void keepsADollarNotFollowedByABraceLiteral() {
        assertEquals("pa$$word$", resolver.resolve("pa$$word$", dir));
        assertEquals("$HOME and $ {x}", resolver.resolve("$HOME and $ {x}", dir));
    }

    @Test
    void readsALiteralDollarBraceFromItsEscape() {
        assertEquals("a${env:X}b", resolver.resolve("a$${env:X}b", dir));
    }

    @Test
    void doesNotExpandReferencesInsideExpandedValues() {
        SecretResolver nested = new SecretResolver(Map.of("OUTER", "${env:INNER}"), new Properties());
        assertEquals("${env:INNER}", nested.resolve("${env:OUTER}", dir));
    }

    @Test
    void readsTheFirstLineOfASecretFileTrimmedAndRelativeToTheBase() throws IOException {
        Files.createDirectories(dir.resolve("secrets"));
        Files.write(dir.resolve("secrets/pw.txt"),
                "\uFEFF  file-secret  \r\nsecond line\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("file-secret", resolver.resolve("${file:secrets/pw.txt}", dir));
        assertEquals("file-secret", resolver.resolve("${file:" + dir.resolve("secrets/pw.txt") + "}", Path.of("/")));
    }

    @Test
    void readsAnEmptySecretFileAsAnEmptyValue() throws IOException {
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertEquals("", resolver.resolve("${file:empty.txt}", dir));
    }

    @Test
    void namesTheUnsetEnvironmentVariable() {
        assertEquals("environment variable CLIENT_KEY_PASSWORD2 is not set",
                failure("${env:CLIENT_KEY_PASSWORD2}"));
    }

    @Test
    void namesTheUnsetSystemProperty() {
        assertEquals("system property missing.pw is not set", failure("${sys:missing.pw}"));
    }

    @Test
    void namesTheMissingSecretFileByItsResolvedPath() {
        assertEquals("secret file " + dir.resolve("pw.txt") + " not found", failure("${file:pw.txt}"));
    }

    @Test
    void rejectsADirectoryAsSecretFile() {
        assertEquals("secret file " + dir + ": not a regular file (a directory)", failure("${file:.}"));
    }

    @Test
    void rejectsAnUnknownSchemeWithoutEchoingTheText() {
        String expected = "'${' starts something other than a reference (a reference is ${env:NAME},"
                + " ${sys:NAME} or ${file:PATH}; write $${ for a literal ${)";
        assertEquals(expected, failure("x${vault:db/pw}"));
        assertEquals(expected, failure("${carbon.home}/x"));
        assertEquals(expected, failure("pa${QXZJ}ss"));
        assertEquals(expected, failure("${QXZJ:}"));
    }

    @Test
    void rejectsAnEmptyName() {
        assertEquals("empty name in ${env:}", failure("${env:}"));
    }

    @Test
    void rejectsAnUnterminatedReferenceWithoutEchoingTheText() {
        String message = failure("literal-pa${ssword");
        assertEquals("unterminated '${' (a reference is ${env:NAME}, ${sys:NAME} or ${file:PATH};"
                + " write $${ for a literal ${)", message);
        assertFalse(message.contains("ssword"));
    }

    private String failure(String text) {
        return assertThrows(IllegalArgumentException.class, () -> resolver.resolve(text, dir)).getMessage();
    }

    private static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
