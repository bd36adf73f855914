package dev.mtls.agent.cli;

import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import dev.mtls.snapshot.ProfileLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code check FILE}: loads everything the agent would load and prints one row per profile, then
 * (when the file has any) one row per listener in a table of their own. Below each table, the
 * checks beyond the chain (docs/POLICY.md), one row per check, when any profile or listener has one:
 * a column per setting would make the main tables too wide to read.
 */
final class CheckCommand {
    private final PrintStream out;
    private final PrintStream err;

    CheckCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(CommandArguments arguments) {
        LoadResult result;
        try {
            result = ProfileLoader.system().load(arguments.file(), arguments.base(), 1);
        } catch (ProfileFileException e) {
            err.println("error: " + e.error());
            return MtlsCommandLine.PROBLEM;
        }
        int profiles = result.snapshot().profiles().size();
        int unusable = 0;
        for (LoadedProfile profile : result.snapshot().profiles()) {
            unusable += profile.isUsable() ? 0 : 1;
        }
        int listeners = result.snapshot().listeners().size();
        int unusableListeners = 0;
        for (LoadedListener listener : result.snapshot().listeners()) {
            unusableListeners += listener.isUsable() ? 0 : 1;
        }
        out.println(result.document().file() + ": " + formatName(result) + ", " + profiles
                + (profiles == 1 ? " profile" : " profiles") + " loaded"
                + (unusable > 0 ? " (" + unusable + " unusable)" : "")
                + (listeners > 0 ? ", " + listeners + (listeners == 1 ? " listener" : " listeners") + " loaded"
                        + (unusableListeners > 0 ? " (" + unusableListeners + " unusable)" : "") : "")
                + ", " + result.errors().size() + (result.errors().size() == 1 ? " error" : " errors"));
        Path folder = (arguments.base() != null ? arguments.base() : result.document().file().toAbsolutePath()
                .getParent()).toAbsolutePath().normalize();
        PolicyRows policies = new PolicyRows(folder, Instant.now());
        if (profiles > 0) {
            out.println();
            TextTable table = new TextTable("PROFILE", "STATUS", "MODE", "HOSTS", "SUBJECT", "ISSUER", "KEY",
                    "NOT AFTER", "TRUST");
            TextTable policy = new TextTable("PROFILE", "POLICY", "SETTING");
            boolean anyPolicy = false;
            for (LoadedProfile profile : result.snapshot().profiles()) {
                table.add(ProfileRow.of(profile));
                for (String[] row : policies.of(profile.name(), profile.definition().trust(),
                        profile.trust().orElse(null), profile.definition().tls())) {
                    policy.add(row);
                    anyPolicy = true;
                }
            }
            table.print(out);
            printIf(anyPolicy, policy);
        }
        if (listeners > 0) {
            out.println();
            TextTable table = new TextTable(ListenerRow.HEADER);
            TextTable policy = new TextTable("LISTENER", "POLICY", "SETTING");
            boolean anyPolicy = false;
            for (LoadedListener listener : result.snapshot().listeners()) {
                table.add(ListenerRow.of(listener));
                for (String[] row : policies.of(listener.name(), listener.definition().trust(),
                        listener.trust().orElse(null), null)) {
                    policy.add(row);
                    anyPolicy = true;
                }
            }
            table.print(out);
            printIf(anyPolicy, policy);
        }
        for (ProfileError warning : result.warnings()) {
            err.println("warning: " + warning);
        }
        for (ProfileError error : result.errors()) {
            err.println("error: " + error);
        }
        return result.hasErrors() ? MtlsCommandLine.PROBLEM : MtlsCommandLine.OK;
    }

    private void printIf(boolean any, TextTable table) {
        if (any) {
            out.println();
            table.print(out);
        }
    }

    private static String formatName(LoadResult result) {
        switch (result.document().format()) {
            case WSO2_XML:
                return "WSO2 SSL profiles";
            case YAML:
            default:
                return "YAML profiles";
        }
    }
}
