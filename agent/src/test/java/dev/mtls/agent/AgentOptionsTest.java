package dev.mtls.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    private static final Map<String, String> NONE = Map.of();

    @Test
    void agentArgumentWinsOverSystemPropertyAndEnvironment() {
        AgentOptions options = AgentOptions.parse("profiles=/from/args.yaml",
                Map.of("mtls.profiles", "/from/property.yaml"), Map.of("MTLS_PROFILES", "/from/env.yaml"));
        assertEquals(Optional.of(Path.of("/from/args.yaml")), options.profiles());
        assertEquals(List.of(), options.problems());
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        AgentOptions options = AgentOptions.parse(null, Map.of("mtls.profiles", "/from/property.yaml"),
                Map.of("MTLS_PROFILES", "/from/env.yaml"));
        assertEquals(Optional.of(Path.of("/from/property.yaml")), options.profiles());
    }

    @Test
    void environmentIsUsedWhenNothingElseSetsTheOption() {
        AgentOptions options = AgentOptions.parse("", NONE, Map.of("MTLS_PROFILES", "/from/env.yaml",
                "MTLS_STRICT", "true", "MTLS_RELOAD", "5m", "MTLS_LOG", "debug", "MTLS_JMX", "false",
                "MTLS_BASE", "/opt/wso2"));
        assertEquals(Optional.of(Path.of("/from/env.yaml")), options.profiles());
        assertTrue(options.strict());
        assertEquals(Optional.of(Duration.ofMinutes(5)), options.reload());
        assertEquals(Level.DEBUG, options.log());
        assertFalse(options.jmx());
        assertEquals(Optional.of(Path.of("/opt/wso2")), options.base());
    }

    @Test
    void precedenceIsDecidedPerOption() {
        AgentOptions options = AgentOptions.parse("reload=10s", Map.of("mtls.profiles", "/p.yaml",
                "mtls.reload", "20s"), Map.of("MTLS_RELOAD", "30s", "MTLS_STRICT", "true", "MTLS_PROFILES", "/e.yaml"));
        assertEquals(Optional.of(Duration.ofSeconds(10)), options.reload());
        assertEquals(Optional.of(Path.of("/p.yaml")), options.profiles());
        assertTrue(options.strict());
    }

    @Test
    void defaultsApplyWhenNoSourceSetsAnOption() {
        AgentOptions options = AgentOptions.parse(null, NONE, NONE);
        assertEquals(Optional.empty(), options.profiles());
        assertEquals(Optional.empty(), options.base());
        assertEquals(Optional.empty(), options.reload());
        assertEquals(Level.INFO, options.log());
        assertFalse(options.strict());
        assertEquals(Duration.ofDays(14), options.expiryWarning());
        assertTrue(options.jmx());
        assertEquals(List.of(), options.problems());
    }

    @Test
    void readsEveryOptionFromAgentArguments() {
        AgentOptions options = AgentOptions.parse(
                " profiles=/x.yaml , reload=30s,strict=TRUE,log=warn,base=/dir,expiryWarning=7d,jmx=false,", NONE, NONE);
        assertEquals(Optional.of(Path.of("/x.yaml")), options.profiles());
        assertEquals(Optional.of(Duration.ofSeconds(30)), options.reload());
        assertTrue(options.strict());
        assertEquals(Level.WARNING, options.log());
        assertEquals(Optional.of(Path.of("/dir")), options.base());
        assertEquals(Duration.ofDays(7), options.expiryWarning());
        assertFalse(options.jmx());
        assertEquals(List.of(), options.problems());
    }

    @Test
    void expiryWarningIsReadFromBothEnvironmentSpellings() {
        assertEquals(Duration.ofDays(3), AgentOptions.parse(null, NONE, Map.of("MTLS_EXPIRY_WARNING", "3d"))
                .expiryWarning());
        assertEquals(Duration.ofDays(4), AgentOptions.parse(null, NONE, Map.of("MTLS_EXPIRYWARNING", "4d"))
                .expiryWarning());
        assertEquals(Duration.ofDays(4), AgentOptions.parse(null, NONE,
                Map.of("MTLS_EXPIRYWARNING", "4d", "MTLS_EXPIRY_WARNING", "3d")).expiryWarning());
        assertEquals(Duration.ofDays(5), AgentOptions.parse(null, Map.of("mtls.expiryWarning", "5d"),
                Map.of("MTLS_EXPIRY_WARNING", "3d")).expiryWarning());
    }

    @Test
    void emptySystemPropertyOrVariableCountsAsUnset() {
        AgentOptions options = AgentOptions.parse(null, Map.of("mtls.profiles", ""),
                Map.of("MTLS_PROFILES", "/from/env.yaml", "MTLS_RELOAD", "  "));
        assertEquals(Optional.of(Path.of("/from/env.yaml")), options.profiles());
        assertEquals(Optional.empty(), options.reload());
        assertEquals(List.of(), options.problems());
    }

    @Test
    void namesAnUnknownOption() {
        AgentOptions options = AgentOptions.parse("profiles=/x.yaml,relaod=30s", NONE, NONE);
        assertEquals(1, options.problems().size());
        assertTrue(options.problems().get(0).startsWith("unknown option 'relaod'"), options.problems().get(0));
        assertEquals(Optional.of(Path.of("/x.yaml")), options.profiles());
    }

    @Test
    void suggestsTheRightSpellingOfAnOption() {
        AgentOptions options = AgentOptions.parse("expirywarning=3d", NONE, NONE);
        assertEquals(List.of("unknown option 'expirywarning' (did you mean 'expiryWarning'?)"), options.problems());
    }

    @Test
    void explainsABarePathGivenAsTheOnlyArgument() {
        AgentOptions options = AgentOptions.parse("/etc/mtls/profiles.yaml", NONE, NONE);
        assertEquals(List.of("unknown option '/etc/mtls/profiles.yaml' (write profiles=/etc/mtls/profiles.yaml)"),
                options.problems());
    }

    @Test
    void reportsUnusableValuesAndKeepsDefaults() {
        AgentOptions options = AgentOptions.parse("strict=yes,reload=30,log=verbose,expiryWarning=2w", NONE,
                Map.of("MTLS_JMX", "nope"));
        assertFalse(options.strict());
        assertEquals(Optional.empty(), options.reload());
        assertEquals(Level.INFO, options.log());
        assertEquals(Duration.ofDays(14), options.expiryWarning());
        assertTrue(options.jmx());
        assertEquals(5, options.problems().size(), options.problems().toString());
        assertTrue(options.problems().contains(
                "agent argument 'strict': 'yes' is neither true nor false; using false"), options.problems().toString());
        assertTrue(options.problems().contains(
                "environment variable 'MTLS_JMX': 'nope' is neither true nor false; using true"),
                options.problems().toString());
    }

    @Test
    void refusesDurationsBeyondTheirMaximumsAndKeepsDefaults() {
        AgentOptions options = AgentOptions.parse("reload=106751991167d,expiryWarning=999999999999d", NONE, NONE);
        assertEquals(Optional.empty(), options.reload());
        assertEquals(Duration.ofDays(14), options.expiryWarning());
        assertEquals(List.of("agent argument 'reload': '106751991167d' is longer than the maximum of 1d",
                "agent argument 'expiryWarning': '999999999999d' is longer than the maximum of 365d; using the"
                        + " default"), options.problems());
        AgentOptions largest = AgentOptions.parse("reload=24h,expiryWarning=365d", NONE, NONE);
        assertEquals(Optional.of(Duration.ofDays(1)), largest.reload());
        assertEquals(Duration.ofDays(365), largest.expiryWarning());
    }

    @Test
    void reportsAnOptionWithoutValueAndOneGivenTwice() {
        AgentOptions options = AgentOptions.parse("profiles=/a.yaml,profiles=/b.yaml,strict", NONE, NONE);
        assertEquals(Optional.of(Path.of("/a.yaml")), options.profiles());
        assertEquals(List.of("option 'profiles' is given twice in the agent arguments; using the first",
                "option 'strict' has no value (write strict=...)"), options.problems());
    }

    @Test
    void zeroReloadDisablesReloading() {
        assertEquals(Optional.of(Duration.ZERO), AgentOptions.parse("reload=0", NONE, NONE).reload());
    }

    @Test
    void environmentNamesFollowTheOptionName() {
        assertEquals(List.of("MTLS_PROFILES"), AgentOptions.environmentNames("profiles"));
        assertEquals(List.of("MTLS_EXPIRYWARNING", "MTLS_EXPIRY_WARNING"),
                AgentOptions.environmentNames("expiryWarning"));
    }
}
