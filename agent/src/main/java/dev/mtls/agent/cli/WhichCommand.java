package dev.mtls.agent.cli;

import dev.mtls.match.HostMatch;
import dev.mtls.match.HostPattern;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedProfile;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code which FILE HOST[:PORT]}: the profile that applies to a host and the pattern that won.
 * "No profile" is an answer, not a problem: exit 0. Exit 1 only when the file cannot be loaded.
 */
final class WhichCommand {
    private final PrintStream out;
    private final PrintStream err;

    WhichCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(CommandArguments arguments) throws CommandArguments.UsageException {
        HostAndPort target = HostAndPort.parse(arguments.positional(1));
        LoadResult result = arguments.loadForLookup(err);
        if (result == null) {
            return MtlsCommandLine.PROBLEM;
        }
        Optional<HostMatch<LoadedProfile>> match = result.snapshot().match(target.host(), target.port());
        if (match.isEmpty()) {
            out.println(target + ": no profile; the connection is left exactly as without the agent");
            return MtlsCommandLine.OK;
        }
        LoadedProfile profile = match.get().value();
        HostPattern pattern = match.get().pattern();
        out.println(target + ": profile '" + profile.name() + "' (pattern " + pattern + ": " + why(pattern) + ")");
        profile.problem().ifPresent(problem -> out.println("  but the profile is unusable: " + problem + "; "
                + (profile.definition().declaresTrust() && profile.trust().isEmpty()
                        ? "handshakes to this host fail (its trust or tls section did not load; in either mode)"
                        : profile.mode() == dev.mtls.profile.Mode.MANDATORY
                        ? "handshakes to this host fail (mode mandatory)"
                        : "connections go without a client certificate (mode optional)")));
        return MtlsCommandLine.OK;
    }

    private static String why(HostPattern pattern) {
        if (pattern.isDefault()) {
            return "the default profile, no more specific pattern matched";
        }
        String port = pattern.port() < 0 ? "any port" : "port " + pattern.port();
        return (pattern.isWildcard() ? "wildcard" : "exact host") + ", " + port;
    }
}
