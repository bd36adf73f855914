package dev.mtls.agent;

import dev.mtls.log.MtlsLog;
import dev.mtls.reload.ProfileService;
import dev.mtls.reload.WatchSettings;
import dev.mtls.sessions.ClientSessionSweeper;
import dev.mtls.snapshot.FirstUseLoad;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent's first load of the profile file, through the one load-and-publish path
 * ({@link ProfileService}): run by the first use of TLS in this JVM (registered with
 * {@code ActiveProfiles} as the agent installs itself, see {@link FirstTlsUse}), or by the installer itself when strict or attached. Then it
 * reports (the option problems, what the load found, the start line) and starts the reload timer
 * and JMX. Nothing of this is created before the load: a JVM that never uses TLS loads none of
 * the profile, YAML or key-material classes, starts no thread and prints nothing.
 */
final class FirstProfileLoad implements FirstUseLoad {
    /** What an attach cannot reach, said in the start line and in attach's output. */
    static final String ATTACH_CAVEAT = "SSLContexts initialised before now keep their managers";

    private final Path file;
    private final AgentOptions options;
    private final List<String> optionProblems;
    private final ClientSessionSweeper sweeper;
    private final boolean attached;
    private volatile ProfileService service;
    /** What the load found, kept: {@link #report()} hands the held lines on, and attach asks after that. */
    private volatile List<String> loadProblems = List.of();

    /** @param optionProblems the option problems found in premain; logged with the load's own */
    FirstProfileLoad(Path file, AgentOptions options, List<String> optionProblems, ClientSessionSweeper sweeper,
            boolean attached) {
        this.file = file;
        this.options = options;
        this.optionProblems = optionProblems;
        this.sweeper = sweeper;
        this.attached = attached;
    }

    @Override
    public void load() {
        ProfileService created = Services.create(file, options, sweeper, attached);
        service = created;
        created.load();
        loadProblems = List.copyOf(created.problems());
    }

    /** Every problem so far: the options', then the load's. */
    List<String> problems() {
        List<String> problems = new ArrayList<>(optionProblems);
        problems.addAll(loadProblems);
        return problems;
    }

    /**
     * What the start line says, and the problems reported with it: for {@code attach}, which
     * prints it where the operator typed the command (the JVM's log may be far away).
     */
    String summary() {
        StringBuilder summary = new StringBuilder(service.startLine());
        for (String problem : problems()) {
            summary.append("\nproblem: ").append(problem);
        }
        return summary.toString();
    }

    /** Logs the option problems, what the load found and the start line; starts the reload timer and JMX. */
    @Override
    public void report() {
        for (String problem : optionProblems) {
            MtlsLog.error(problem);
        }
        ProfileService loaded = service;
        loaded.report();
        if (options.jmx()) {
            JmxRegistration.startInBackground(loaded.watcher());
        }
    }

    /** Whether {@link #load()} has run (with -javaagent, only once TLS has been used). */
    boolean hasLoaded() {
        return service != null;
    }

    ClientSessionSweeper sweeper() {
        return sweeper;
    }

    /** Stops the reload timer: another attach has replaced this load with one of its own options. */
    void close() {
        ProfileService loaded = service;
        if (loaded != null) {
            loaded.close();
        }
    }

    /**
     * Builds the service, in a class of its own: the verifier loads the types this code passes
     * around when it loads the class that holds it, and installing the agent loads FirstProfileLoad.
     */
    private static final class Services {
        static ProfileService create(Path file, AgentOptions options, ClientSessionSweeper sweeper,
                boolean attached) {
            WatchSettings settings = WatchSettings.of(file).expiryWarning(options.expiryWarning()).sweeper(sweeper);
            // Plain ifs: method references would spin classes at start.
            if (options.base().isPresent()) {
                settings.base(options.base().get());
            }
            if (options.reload().isPresent()) {
                settings.reloadOption(options.reload().get());
            }
            return ProfileService.create(settings, attached ? " (attached: " + ATTACH_CAVEAT + ")" : "");
        }
    }
}
