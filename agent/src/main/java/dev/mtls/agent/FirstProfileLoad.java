package dev.mtls.agent;

import dev.mtls.jsse.ActiveProfiles;
import dev.mtls.jsse.ClientSessionSweeper;
import dev.mtls.material.IdentityLoader;
import dev.mtls.material.TrustLoader;
import dev.mtls.profile.LoadResult;
import dev.mtls.profile.ProfileError;
import dev.mtls.profile.ProfileFileException;
import dev.mtls.profile.ProfileFileReader;
import dev.mtls.profile.ProfileLoader;
import dev.mtls.profile.ProfileSnapshot;
import dev.mtls.profile.SecretResolver;
import dev.mtls.reload.ProfileWatcher;
import dev.mtls.reload.WatchSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The first load of the profile file: load and publish, then report (problems, warnings, the
 * start line) and start the reload timer.
 *
 * <p>Started from premain it runs on a thread of its own, beside the application's {@code main}:
 * nothing needs the profiles before the first handshake, and a handshake that comes sooner waits
 * for them in {@link ActiveProfiles#current()} (at most {@link #MAX_HANDSHAKE_WAIT_MILLIS}). This
 * takes the YAML parser, certificate and key parsing and the first log line (together about
 * 150 ms on JDK 17, see docs/PERFORMANCE.md) off the time to {@code main}. It publishes before it
 * logs, so a logging backend whose own start makes a TLS call cannot wait on it. So that a JVM
 * which exits at once still reports a broken file, its exit waits for the report, at most
 * {@link #MAX_EXIT_WAIT_MILLIS} (see {@link AwaitReport}).
 */
final class FirstProfileLoad implements Runnable {
    static final String THREAD_NAME = "mtls-agent-load";
    /** Far longer than any real load (1,000 profiles load in about a second); only a hung file system gets here. */
    static final long MAX_HANDSHAKE_WAIT_MILLIS = 30_000;
    static final long MAX_EXIT_WAIT_MILLIS = 5_000;

    private final Path file;
    private final AgentOptions options;
    private final List<String> problems;
    private final ClientSessionSweeper sweeper;
    private final boolean attached;
    private LoadResult loaded;
    private long loadMillis;
    private Thread exitHook;

    /** @param problems the option problems found so far; the load adds its own */
    FirstProfileLoad(Path file, AgentOptions options, List<String> problems, ClientSessionSweeper sweeper,
            boolean attached) {
        this.file = file;
        this.options = options;
        this.problems = problems;
        this.sweeper = sweeper;
        this.attached = attached;
    }

    void startInBackground() {
        Thread thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
        ActiveProfiles.expectFirstLoad(thread, MAX_HANDSHAKE_WAIT_MILLIS);
        exitHook = new Thread(new AwaitReport(thread, true), THREAD_NAME + "-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
        thread.start();
        // Not a daemon: a main that returns does not start the JVM's shutdown (whose hooks include
        // java.util.logging's, which silences the backend) until the report is out.
        Thread guard = new Thread(new AwaitReport(thread, false), THREAD_NAME + "-guard");
        guard.setDaemon(false);
        guard.start();
    }

    @Override
    public void run() {
        try {
            loadAndPublish();
        } catch (AgentNotStartedException | RuntimeException | LinkageError e) {
            // Not strict here, so nothing should throw; if something does, no profiles and one line.
            problems.add(file + ": cannot be loaded (" + e + "); running with no profiles");
        } finally {
            ActiveProfiles.endFirstLoad();
        }
        try {
            report();
        } catch (RuntimeException | LinkageError e) {
            System.err.println("mtls-agent: cannot report the profiles loaded from " + file + ": " + e);
        }
        try {
            // Reported: the exit no longer needs to wait, and later lines may go to the backend as usual.
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // The JVM is exiting already; the hook has done its part.
        }
    }

    /**
     * Loads the file and publishes what loaded: the whole file, the profiles that loaded, or an
     * empty snapshot when the file as a whole did not (a later reload may bring them in). When
     * strict, any problem instead ends the JVM, or refuses the attach.
     */
    void loadAndPublish() throws AgentNotStartedException {
        long start = System.nanoTime();
        ProfileLoader loader = new ProfileLoader(new ProfileFileReader(SecretResolver.system()), new IdentityLoader(),
                new TrustLoader(), Clock.systemUTC(), options.expiryWarning());
        String fileProblem = null;
        try {
            loaded = loader.load(file, options.base().orElse(null), AgentInstaller.FIRST_GENERATION);
        } catch (ProfileFileException e) {
            fileProblem = e.error().toString();
        } catch (RuntimeException e) {
            // A bug of ours must not take the application down; the exception's text names no secret.
            fileProblem = file + ": cannot be loaded (" + e + ")";
        }
        if (loaded == null) {
            problems.add(fileProblem);
        } else {
            for (ProfileError error : loaded.errors()) {
                problems.add(error.toString());
            }
        }
        AgentInstaller.stopIfStrict(options, problems, attached);
        if (loaded == null) {
            problems.set(problems.size() - 1, fileProblem + "; running with no profiles");
        }
        // Generation 1, not ProfileSnapshot.empty's 0, when the file did not load: the provider reads a
        // generation-0 snapshot as "nobody published yet" and would load a file of its own (mtls.profiles).
        ActiveProfiles.publish(loaded != null ? loaded.snapshot()
                : new ProfileSnapshot(AgentInstaller.FIRST_GENERATION, file, Instant.now(), null, List.of()));
        loadMillis = AgentInstaller.millis(start, System.nanoTime());
    }

    /**
     * What the start line says, and how many problems were reported with it: for {@code attach},
     * which prints it where the operator typed the command (the JVM's log may be far away).
     */
    String summary() {
        int count = problems.size();
        return startLine() + (count == 0 ? ""
                : "; " + count + (count == 1 ? " problem" : " problems") + " reported in that JVM's log");
    }

    /** Starts the reload timer, then logs every problem, every warning and the start line. */
    void report() {
        startWatching();
        AgentInstaller.logErrors(problems);
        if (loaded != null) {
            for (ProfileError warning : loaded.warnings()) {
                AgentLog.warn(warning.toString());
            }
        }
        AgentLog.debug("profiles loaded in " + loadMillis + " ms");
        AgentLog.info(startLine()
                + (attached ? " (attached: SSLContexts initialised before now keep their managers)" : ""));
    }

    /** "2 profiles from /etc/mtls/profiles.yaml". */
    private String startLine() {
        int count = loaded != null ? loaded.snapshot().profiles().size() : 0;
        return count + (count == 1 ? " profile" : " profiles") + " from " + file;
    }

    /**
     * Re-reads the file and its key files on a timer (a daemon thread), and shows the agent over
     * JMX. Neither may stop the agent: the profiles already loaded stay in force.
     */
    private void startWatching() {
        ProfileWatcher watcher;
        try {
            WatchSettings settings = WatchSettings.of(file).expiryWarning(options.expiryWarning())
                    .sweeper(sweeper).log(new AgentReloadLog());
            // Plain ifs: method references would spin classes at start.
            if (options.base().isPresent()) {
                settings.base(options.base().get());
            }
            if (options.reload().isPresent()) {
                settings.reloadOption(options.reload().get());
            }
            watcher = ProfileWatcher.create(settings).start(loaded);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("cannot watch " + file + " for changes: " + e + "; the profiles loaded now stay in force");
            return;
        }
        if (options.jmx()) {
            JmxRegistration.startInBackground(watcher);
        }
    }

    /**
     * Lets a first load that is still running finish its report before the JVM exits. When main
     * returns, a non-daemon thread waiting here holds the exit back; on System.exit, a shutdown hook
     * waits here, and the report goes straight to stderr (the logging backend may be shutting down
     * beside us). A class, not a lambda.
     */
    private static final class AwaitReport implements Runnable {
        private final Thread loader;
        private final boolean shuttingDown;

        AwaitReport(Thread loader, boolean shuttingDown) {
            this.loader = loader;
            this.shuttingDown = shuttingDown;
        }

        @Override
        public void run() {
            if (shuttingDown) {
                AgentLog.exiting();
            }
            try {
                loader.join(MAX_EXIT_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
