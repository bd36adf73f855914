package dev.mtls.agent.cli;

import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.snapshot.LoadResult;
import dev.mtls.snapshot.ProfileLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The positional arguments of a command and its one option, {@code --base DIR}. */
final class CommandArguments {
    private final List<String> positional;
    private final Path base;

    private CommandArguments(List<String> positional, Path base) {
        this.positional = positional;
        this.base = base;
    }

    static CommandArguments parse(String[] args, int expectedPositional) throws UsageException {
        List<String> positional = new ArrayList<>();
        Path base = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--base".equals(arg)) {
                if (i + 1 == args.length) {
                    throw new UsageException("--base needs a folder");
                }
                base = Path.of(args[++i]);
            } else if (arg.startsWith("--base=")) {
                base = Path.of(arg.substring("--base=".length()));
            } else if (arg.startsWith("--")) {
                throw new UsageException("unknown option " + arg);
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() != expectedPositional) {
            throw new UsageException("expected " + expectedPositional + " argument"
                    + (expectedPositional == 1 ? "" : "s") + ", got " + positional.size());
        }
        return new CommandArguments(List.copyOf(positional), base);
    }

    Path file() {
        return Path.of(positional.get(0));
    }

    String positional(int index) {
        return positional.get(index);
    }

    /**
     * The profile file loaded, for the commands that look a host up in it ({@code which},
     * {@code probe}): each problem is printed as a warning (a profile with one stays in force for
     * its hosts, unusable, as in the agent, and the answer says so); null, with the error printed,
     * when the file as a whole did not load.
     */
    LoadResult loadForLookup(PrintStream err) {
        LoadResult result;
        try {
            result = ProfileLoader.system().load(file(), base, 1);
        } catch (ProfileFileException e) {
            err.println("error: " + e.error());
            return null;
        }
        for (ProfileError error : result.errors()) {
            err.println("warning: " + error);
        }
        return result;
    }

    /** The folder relative key paths resolve against, or null for the profile file's folder. */
    Path base() {
        return base;
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
