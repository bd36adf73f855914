package dev.mtls.agent;

import dev.mtls.agent.hook.HookException;
import dev.mtls.agent.hook.ServerHandshakeHooks;
import dev.mtls.agent.hook.SessionResumptionHook;
import dev.mtls.agent.hook.SslContextHook;
import dev.mtls.agent.netty.NettyClientHook;
import dev.mtls.jsse.MtlsProvider;
import dev.mtls.log.LogThreshold;
import dev.mtls.log.MtlsLog;
import dev.mtls.log.Printable;
import dev.mtls.sessions.ClientSessionSweeper;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs the agent (at the first class only TLS loads, see {@link FirstTlsUse}; in premain with
 * {@code strict=true}; at once when attached), paying as little as it can until TLS is used: it
 * lists the JSSE provider just before SunJSSE (in the security properties, when the JDK has not built its
 * provider list yet, so that building it stays the JDK's business), registers the class-file
 * transformers for {@code SSLContext#init}, SunJSSE's client session cache and Netty's builder,
 * and registers the first load of the profile file with {@code ActiveProfiles}. The file is read
 * the first time TLS is used in this JVM ({@link FirstProfileLoad}); a JVM that never uses it
 * reads no file, starts no thread, registers no MBean, prints nothing and does not wait at exit.
 * With {@code strict=true}, or attached to a running JVM (the caller expects the outcome), the
 * profiles are loaded here instead, on the calling thread, before the hooks.
 *
 * <p>Failure semantics (docs/AGENT.md): configuration problems (an option, the file, a profile)
 * are logged one line each at the first use and the agent runs with what loaded; a file that does
 * not load at all leaves no profiles in force, and the hooks are installed anyway so that a later
 * reload can bring the profiles in. With {@code strict=true} any configuration problem instead
 * prints every problem to stderr and ends the JVM with status 1 from premain, before the
 * application's {@code main} runs; the logging backend is bypassed so that nothing is lost in an
 * unflushed handler. Attached to a running JVM, strict never ends it: the agent then refuses to
 * start and the profiles in force stay. Problems installing a hook are not configuration
 * problems: they are logged and the other hooks stay (with strict, they stop the JVM too).
 */
final class AgentInstaller {
    /** Loaded by the JDK just before it builds its provider list from the security properties. */
    private static final String PROVIDER_LIST_CLASS = "sun.security.jca.ProviderList";
    static final String NO_SUN_JSSE = "the security properties list no SunJSSE provider; the JSSE provider was not"
            + " installed, only SSLContext#init is hooked";

    private static final String NOT_COVERED =
            "; SSLContexts that the application initialises itself are not covered, the default ones still are";

    private static final String LISTENERS_NOT_ENFORCED = "; listeners are not enforced: server handshakes go on"
            + " as the applications set them up";
    private static final String RESUMPTION_NOT_CHECKED = "; cached TLS sessions are still swept on every reload"
            + " check, but one that keeps being resumed may present a replaced certificate for longer";

    private AgentInstaller() {
    }

    /**
     * @param options naming a profile file (AgentMain checks)
     * @param previous the load of an earlier attach whose options these replace, or null
     * @return the first load; when strict or attached it has loaded and reported already
     */
    static FirstProfileLoad install(AgentOptions options, Instrumentation instrumentation, boolean attached,
            FirstProfileLoad previous) throws AgentNotStartedException {
        long start = System.nanoTime();
        LogThreshold.set(options.log());
        // Before any load: a token named by label is found through a JDK package exported on demand.
        WrapperExport.offer(instrumentation);
        List<String> problems = new ArrayList<>(options.problems());
        // Another attach keeps the sweeper the resumption hook already asks.
        ClientSessionSweeper sweeper = previous != null ? previous.sweeper() : new ClientSessionSweeper();
        FirstProfileLoad firstLoad = new FirstProfileLoad(options.profiles().get(), options, problems, sweeper, attached);
        long optionsRead = System.nanoTime();

        // strict must end the JVM before main; attached, the caller expects the profiles in force on return.
        boolean now = options.strict() || attached;
        if (now) {
            ProfileSnapshot before = ActiveProfiles.published();
            ActiveProfiles.loadingNow();
            firstLoad.load();
            List<String> loadProblems = firstLoad.problems();
            if (!loadProblems.isEmpty() && options.strict()) {
                // Attached: nothing changes in that JVM; the profiles in force (if any) stay, and an
                // earlier -javaagent whose load has not run yet still runs it at the first use of TLS.
                firstLoad.close();
                ActiveProfiles.publish(before);
                if (previous != null && !previous.hasLoaded()) {
                    ActiveProfiles.loadOnFirstUse(previous);
                }
            }
            stopIfStrict(options, loadProblems, attached);
            if (previous != null) {
                previous.close();
            }
        } else {
            ActiveProfiles.loadOnFirstUse(firstLoad);
        }
        long profilesLoaded = System.nanoTime();
        if (previous != null) {
            // Another attach: the provider and the hooks are in place, and read what was just published.
            firstLoad.report();
            return firstLoad;
        }
        List<String> hookProblems = new ArrayList<>();
        placeProvider(instrumentation, hookProblems);
        long providerPlaced = System.nanoTime();
        boolean contextHooked = installSslContextHook(instrumentation, hookProblems);
        NettyClientHook.install(instrumentation, attached);
        long hookInstalled = System.nanoTime();
        if (contextHooked) {
            // It needs the package access the SSLContext hook sets up.
            installResumptionCheck(instrumentation, sweeper);
            installServerHooks(instrumentation);
        }
        long resumptionHooked = System.nanoTime();
        if (!attached) {
            stopIfStrict(options, hookProblems, false);
        }
        if (now) {
            firstLoad.report();
        }

        if (LogThreshold.allows(Level.DEBUG)) {
            MtlsLog.debug("installing took " + millis(start, resumptionHooked) + " ms: options "
                    + millis(start, optionsRead) + (now ? ", profiles " + millis(optionsRead, profilesLoaded)
                            : ", profiles at the first use of TLS") + ", provider "
                    + millis(profilesLoaded, providerPlaced) + ", SSLContext hook "
                    + millis(providerPlaced, hookInstalled) + ", session cache hook "
                    + millis(hookInstalled, resumptionHooked));
        }
        return firstLoad;
    }

    static void stopIfStrict(AgentOptions options, List<String> problems, boolean attached)
            throws AgentNotStartedException {
        if (!options.strict() || problems.isEmpty()) {
            return;
        }
        // Straight to stderr, not the log: the JVM exits next, before main has configured any
        // logging, and a backend that buffers or writes asynchronously would lose these lines.
        for (String problem : problems) {
            System.err.println(Printable.escape("mtls-agent: " + problem));
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

    static long millis(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /**
     * Hook 1 (docs/HANDSHAKES.md): the provider whose key and trust manager factories cover the
     * default SSLContext. Before the JDK has built its provider list (premain, nearly always), it is
     * listed in the security properties just before the JDK builds the list ({@link ProviderListing}),
     * and the JDK places it; after (an attach, or an earlier agent that used TLS), it is inserted
     * into the list. A failure here leaves hook 2 to do what it can.
     */
    private static void placeProvider(Instrumentation instrumentation, List<String> problems) {
        try {
            if (SslContextHook.bootstrapClass(instrumentation, PROVIDER_LIST_CLASS) == null) {
                instrumentation.addTransformer(new ProviderListing());
                // Loaded after all between the look and the registration (another thread, after an attach)?
                if (SslContextHook.bootstrapClass(instrumentation, PROVIDER_LIST_CLASS) == null) {
                    return;
                }
            }
            // Null when there is no SunJSSE to wrap; install() logs that itself.
            MtlsProvider.install();
        } catch (RuntimeException | LinkageError e) {
            problem(problems, "cannot install the JSSE provider: " + e + "; only SSLContext#init is hooked");
        }
    }

    /** Hook 2 (docs/HANDSHAKES.md). A failure here leaves the provider's coverage of the default contexts. */
    private static boolean installSslContextHook(Instrumentation instrumentation, List<String> problems) {
        try {
            if (SslContextHook.install(instrumentation, new HookFailureLog()) == SslContextHook.Outcome.ALREADY_INSTALLED) {
                MtlsLog.warn("SSLContext#init is already hooked by another copy of the agent; not hooking it again");
                return false;
            }
            return true;
        } catch (HookException e) {
            problem(problems, e.getMessage() + NOT_COVERED);
        } catch (RuntimeException | LinkageError e) {
            problem(problems, "cannot hook SSLContext#init: " + e + NOT_COVERED);
        }
        return false;
    }

    /** Logged at once (these are rare, and an operator must see them); collected for strict. */
    private static void problem(List<String> problems, String message) {
        problems.add(message);
        MtlsLog.error(message);
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
            MtlsLog.warn(e.getMessage() + RESUMPTION_NOT_CHECKED);
        } catch (RuntimeException | LinkageError e) {
            MtlsLog.warn("cannot hook the TLS client session cache: " + e + RESUMPTION_NOT_CHECKED);
        }
    }

    /** The listeners' enforcement (docs/LISTENERS.md); without it, listeners do nothing and the log says so. */
    private static void installServerHooks(Instrumentation instrumentation) {
        try {
            ServerHandshakeHooks.install(instrumentation, new ServerHookFailureLog());
        } catch (HookException e) {
            MtlsLog.error(e.getMessage() + LISTENERS_NOT_ENFORCED);
        } catch (RuntimeException | LinkageError e) {
            MtlsLog.error("cannot hook the TLS server handshake: " + e + LISTENERS_NOT_ENFORCED);
        }
    }

    /** For a failure that shows only later, as a TLS server class loads. A class, not a lambda. */
    private static final class ServerHookFailureLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            MtlsLog.error(message + LISTENERS_NOT_ENFORCED);
        }
    }

    /** For a failure that shows only later, as the session cache loads. A class, not a lambda. */
    private static final class ResumptionHookFailureLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            MtlsLog.warn(message + RESUMPTION_NOT_CHECKED);
        }
    }

    /** For a failure that shows only later, as SSLContext loads. A class, not a lambda: see ManagerWrappingFunction. */
    private static final class HookFailureLog implements Consumer<String> {
        @Override
        public void accept(String message) {
            MtlsLog.error(message + NOT_COVERED);
        }
    }
}
