package dev.mtls.agent;

import dev.mtls.agent.hook.HookException;
import dev.mtls.agent.hook.SessionResumptionHook;
import dev.mtls.agent.hook.SslContextHook;
import dev.mtls.agent.netty.NettyClientHook;
import dev.mtls.jsse.ClientSessionSweeper;
import dev.mtls.jsse.MtlsProvider;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the agent: options, then the first load of the profile file on a thread of its own
 * ({@link FirstProfileLoad}: a handshake that comes before it has published waits for it), and,
 * meanwhile, the JSSE provider, the hook on {@code SSLContext#init} and the check SunJSSE makes
 * before resuming a client session. Only those three must be in place before the application's
 * {@code main}. With {@code strict=true}, or attached to a running JVM, the profiles are loaded
 * first, before the hooks, on the calling thread.
 *
 * <p>Failure semantics (DESIGN.md, "Modes and failure semantics"): configuration problems (an
 * option, the file, a profile) are logged one line each and the agent runs with what loaded; a
 * file that does not load at all gives an empty snapshot, and the hooks are installed anyway so
 * that a later reload can bring the profiles in. With {@code strict=true} any configuration
 * problem instead prints every problem to stderr and ends the JVM with status 1 from premain,
 * before the application's {@code main} runs; the logging backend is bypassed so that nothing is
 * lost in an unflushed handler. Attached to a running JVM, strict never ends it: the agent then
 * refuses to start. Problems installing a hook are not configuration problems: they are logged
 * and the other hook stays.
 */
final class AgentInstaller {
    /** The snapshot generation of the first load; reloads count up from here. */
    static final long FIRST_GENERATION = 1;

    private static final String NOT_COVERED =
            "; SSLContexts that the application initialises itself are not covered, the default ones still are";

    private static final String RESUMPTION_NOT_CHECKED = "; cached TLS sessions are still swept on every reload"
            + " check, but one that keeps being resumed may present a replaced certificate for longer";

    private AgentInstaller() {
    }

    /**
     * @return when the profiles were loaded before returning (attached, or strict), what the start
     *         line says; otherwise null
     */
    static String install(String arguments, Instrumentation instrumentation, boolean attached)
            throws AgentNotStartedException {
        long start = System.nanoTime();
        AgentOptions options = AgentOptions.fromSystem(arguments);
        AgentLog.threshold(options.log());
        List<String> problems = new ArrayList<>(options.problems());
        if (options.profiles().isEmpty()) {
            problems.add("no profile file: set profiles=FILE in the agent arguments, -Dmtls.profiles=FILE or"
                    + " MTLS_PROFILES=FILE");
            stopIfStrict(options, problems, attached);
            logErrors(options.problems());
            throw new AgentNotStartedException("no profile file (set profiles=FILE in the agent arguments,"
                    + " -Dmtls.profiles=FILE or MTLS_PROFILES=FILE)");
        }
        ClientSessionSweeper sweeper = new ClientSessionSweeper();
        FirstProfileLoad firstLoad = new FirstProfileLoad(options.profiles().get(), options, problems, sweeper, attached);
        long optionsRead = System.nanoTime();

        // strict must end the JVM before main; attached, the caller expects the profiles in force on return.
        boolean inBackground = !options.strict() && !attached;
        if (inBackground) {
            firstLoad.startInBackground();
        } else {
            firstLoad.loadAndPublish();
        }
        long profilesLoaded = System.nanoTime();
        installProvider();
        long providerInstalled = System.nanoTime();
        installSslContextHook(instrumentation);
        NettyClientHook.install(instrumentation, attached);
        long hookInstalled = System.nanoTime();
        installResumptionCheck(instrumentation, sweeper);
        long resumptionHooked = System.nanoTime();
        if (!inBackground) {
            firstLoad.report();
        }

        AgentLog.debug("premain took " + millis(start, resumptionHooked) + " ms: options " + millis(start, optionsRead)
                + (inBackground ? ", profiles loading beside main" : ", profiles " + millis(optionsRead, profilesLoaded))
                + ", provider " + millis(profilesLoaded, providerInstalled) + ", SSLContext hook "
                + millis(providerInstalled, hookInstalled) + ", session cache hook "
                + millis(hookInstalled, resumptionHooked));
        return inBackground ? null : firstLoad.summary();
    }

    static void stopIfStrict(AgentOptions options, List<String> problems, boolean attached)
            throws AgentNotStartedException {
        if (!options.strict() || problems.isEmpty()) {
            return;
        }
        for (String problem : problems) {
            System.err.println("mtls-agent: " + problem);
        }
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        if (attached) {
            throw new AgentNotStartedException("strict=true and the configuration has " + count
                    + " (a running JVM is not stopped)", problems);
        }
        System.err.println("mtls-agent: strict=true and the configuration has " + count + "; exiting with status 1");
        System.err.flush();
        System.exit(1);
    }

    static void logErrors(List<String> problems) {
        for (String problem : problems) {
            AgentLog.error(problem);
        }
    }

    static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /**
     * Hook 1 of DESIGN.md: the provider whose key and trust manager factories cover the default
     * SSLContext. A failure here leaves hook 2 to do what it can.
     */
    private static void installProvider() {
        try {
            // Null when there is no SunJSSE to wrap; install() logs that itself.
            MtlsProvider.install();
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("cannot install the JSSE provider: " + e + "; only SSLContext#init is hooked");
        }
    }

    /** Hook 2 of DESIGN.md. A failure here leaves the provider's coverage of the default contexts. */
    private static void installSslContextHook(Instrumentation instrumentation) {
        try {
            if (SslContextHook.install(instrumentation, new HookFailureLog()) == SslContextHook.Outcome.ALREADY_INSTALLED) {
                AgentLog.warn("SSLContext#init is already hooked by another copy of the agent; not hooking it again");
            }
        } catch (HookException e) {
            AgentLog.error(e.getMessage() + NOT_COVERED);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.error("cannot hook SSLContext#init: " + e + NOT_COVERED);
        }
    }

    /**
     * The check SunJSSE makes before resuming a cached client session, with the same sweeper the
     * reload timer uses (it knows when each profile last changed). Without it the sweeps still
     * run, but an application that keeps resuming over TLS 1.3 may go on presenting a replaced
     * certificate for several checks.
     */
    private static void installResumptionCheck(Instrumentation instrumentation, ClientSessionSweeper sweeper) {
        try {
            SessionResumptionHook.install(instrumentation, sweeper, new ResumptionHookFailureLog());
        } catch (HookException e) {
            AgentLog.warn(e.getMessage() + RESUMPTION_NOT_CHECKED);
        } catch (RuntimeException | LinkageError e) {
            AgentLog.warn("cannot hook the TLS client session cache: " + e + RESUMPTION_NOT_CHECKED);
        }
    }

    /** For a failure that shows only later, as the session cache loads. A class, not a lambda. */
    private static final class ResumptionHookFailureLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            AgentLog.warn(message + RESUMPTION_NOT_CHECKED);
        }
    }

    /** For a failure that shows only later, as SSLContext loads. A class, not a lambda: see ManagerWrappingFunction. */
    private static final class HookFailureLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            AgentLog.error(message + NOT_COVERED);
        }
    }
}
