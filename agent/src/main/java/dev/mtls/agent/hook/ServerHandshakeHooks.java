package dev.mtls.agent.hook;

import dev.mtls.jsse.RoutingTrustManager;
import dev.mtls.listen.ChannelReads;
import dev.mtls.listen.ServerHandshakes;
import dev.mtls.log.MtlsLog;
import dev.mtls.snapshot.ActiveProfiles;
import java.lang.System.Logger.Level;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * The server side's hooks (docs/LISTENERS.md, docs/ARCHITECTURE.md): the end of
 * {@code ServerHandshakeContext}'s constructor asks {@link ServerHandshakes#decide} which listener
 * covers the handshake and sets that handshake's client-auth from the answer; SunJSSE's two server
 * resumption checks ask {@link ServerHandshakes#mayResume}; the start of SunJSSE's two server-side
 * consumers of the client's Certificate message tells {@link ServerHandshakes#noClientCertificate}
 * of an empty one (a refusal SunJSSE then makes itself, recorded as the listener's); where SunJSSE
 * lists the CAs of a certificate request (TLS 1.2 and 1.3), the agent's trust manager answers for
 * that handshake ({@link RoutingTrustManager#acceptedIssuers(Object)}); the start of
 * {@code SocketChannelImpl#read(ByteBuffer)} tells {@link ChannelReads} the channel an engine
 * server is about to unwrap from.
 *
 * <p>Installed like the other hooks: registered in premain, each class rewritten as it loads
 * (after an attach, retransformed at once); the hook classes are defined by the first rewrite that
 * needs them, after checking every JDK member they use ({@link ServerClassRewrites#checkShapes()}).
 * The channel read hook alone waits until a file with listeners on ports is in force
 * ({@link #ensureChannelHook()}).
 */
public final class ServerHandshakeHooks {
    private static final String SSL_ANCHOR = "sun.security.ssl.SunJSSE";
    /** A tiny class of sun.nio.ch to define the channel hook beside (not SocketChannelImpl: it is loading). */
    private static final String CHANNEL_ANCHOR = "sun.nio.ch.IOStatus";
    private static boolean serverHookDefined;
    private static boolean channelHookDefined;
    private static HookException shapeProblem;
    private static volatile Instrumentation installedOn;
    private static volatile ServerHookTransformer channelTransformer;
    private static int channelTries;

    private ServerHandshakeHooks() {
    }

    /**
     * @param onLoadFailure told why (once), should a class load later and cannot be instrumented
     * @return false when another copy of the agent installed them already
     * @throws HookException naming what failed; nothing stays installed then
     */
    public static boolean install(Instrumentation instrumentation, Consumer<String> onLoadFailure)
            throws HookException {
        if (bootClassExists(ServerHookClass.NAME)) {
            return false;
        }
        Consumer<String> once = new FirstFailureOnly(onLoadFailure);
        Consumer<String> recordingOnly = new RecordingFailureLog(once, "server-certificate-hook",
                "; the listeners are enforced, but a client that sends no certificate is refused by the JDK"
                        + " without a line or a count of the agent's");
        Consumer<String> issuersOnly = new RecordingFailureLog(once, "server-issuers-hook",
                "; the listeners are enforced, but a certificate request lists every listener's CAs and the"
                        + " application's, on every server handshake");
        List<ServerHookTransformer> transformers = new ArrayList<>();
        for (ServerHookTransformer.Kind kind : ServerHookTransformer.Kind.values()) {
            boolean channel = kind == ServerHookTransformer.Kind.CHANNEL_READ;
            ServerHookTransformer transformer = new ServerHookTransformer(kind,
                    (channel ? ServerHookClass.CHANNEL_NAME : ServerHookClass.NAME).replace('.', '/'),
                    kind.narrowsIssuers() ? issuersOnly : kind.recordsOnly() ? recordingOnly : once,
                    new DefineHook(instrumentation, channel));
            if (channel) {
                // Registered only once a file has listeners with ports (ensureChannelHook): every NIO
                // application loads SocketChannelImpl, most never serve TLS.
                channelTransformer = transformer;
            } else {
                instrumentation.addTransformer(transformer, true);
                transformers.add(transformer);
            }
        }
        installedOn = instrumentation;
        List<Class<?>> loaded = new ArrayList<>();
        List<ServerHookTransformer> retransformed = new ArrayList<>();
        for (Class<?> type : instrumentation.getInitiatedClasses(null)) {
            for (ServerHookTransformer transformer : transformers) {
                if (type.getName().equals(transformer.kind().target.replace('/', '.'))) {
                    loaded.add(type);
                    retransformed.add(transformer);
                }
            }
        }
        if (loaded.isEmpty()) {
            return true;
        }
        // Attached to a JVM that serves TLS already.
        ensureChannelHook();
        try {
            instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError e) {
            removeAll(instrumentation, transformers);
            throw new HookException("cannot retransform the TLS server classes: " + e, e);
        }
        for (ServerHookTransformer transformer : retransformed) {
            if (!transformer.applied() && !transformer.kind().recordsOnly()) {
                removeAll(instrumentation, transformers);
                Throwable failure = transformer.failure();
                throw new HookException(cannotInstrument(transformer), failure);
            }
        }
        for (ServerHookTransformer transformer : retransformed) {
            if (!transformer.applied()) {
                Consumer<String> log = transformer.kind().narrowsIssuers() ? issuersOnly : recordingOnly;
                log.accept(cannotInstrument(transformer));
            }
        }
        return true;
    }

    /**
     * Puts the channel read hook in place once the file in force has listeners with ports (only
     * they need an engine's port), from an ordinary call, never from inside a transformer: at
     * every {@code SSLContext#init} (a server initialises its context before it accepts
     * connections, and the profiles are read by then) and when an engine handshake's port could
     * not be told. Registers the transformer, loads {@code SocketChannelImpl} if nothing has, and
     * retransforms it unless its loading was transformed: JDK 25 loads it from the CDS archive
     * without passing it through the transformers. A few tries at most.
     */
    public static void ensureChannelHook() {
        ServerHookTransformer transformer = channelTransformer;
        Instrumentation instrumentation = installedOn;
        if (transformer == null || instrumentation == null || transformer.applied() || channelTries >= 3
                || !ActiveProfiles.published().hasPortListeners()) {
            return;
        }
        synchronized (ServerHandshakeHooks.class) {
            if (transformer.applied() || channelTries >= 3) {
                return;
            }
            if (channelTries++ == 0) {
                instrumentation.addTransformer(transformer, true);
            }
        }
        try {
            Class<?> channel = Class.forName(ServerClassRewrites.SOCKET_CHANNEL.replace('/', '.'), false, null);
            if (!transformer.applied()) {
                instrumentation.retransformClasses(channel);
            }
        } catch (Exception | LinkageError e) {
            MtlsLog.once("channel-hook", Level.ERROR, "cannot hook sun.nio.ch.SocketChannelImpl#read: " + e
                    + "; listeners with ports do not see the port of SSLEngine servers");
        }
        if (!transformer.applied() && transformer.failure() != null) {
            MtlsLog.once("channel-hook", Level.ERROR, "cannot hook sun.nio.ch.SocketChannelImpl#read: "
                    + transformer.failure() + "; listeners with ports do not see the port of SSLEngine servers");
        }
    }

    private static String cannotInstrument(ServerHookTransformer transformer) {
        Throwable failure = transformer.failure();
        return "cannot instrument " + transformer.kind().target.replace('/', '.') + "#" + transformer.kind().method
                + (failure == null ? "" : ": " + failure);
    }

    private static void removeAll(Instrumentation instrumentation, List<ServerHookTransformer> transformers) {
        for (ServerHookTransformer transformer : transformers) {
            instrumentation.removeTransformer(transformer);
        }
    }

    private static boolean bootClassExists(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Checks the JDK's shapes and defines {@code sun.security.ssl.MtlsServerHook}, once. */
    static synchronized void defineServerHook(Instrumentation instrumentation) throws HookException {
        if (serverHookDefined) {
            return;
        }
        if (shapeProblem != null) {
            throw shapeProblem;
        }
        try {
            ServerClassRewrites.checkShapes();
        } catch (HookException e) {
            shapeProblem = e;
            throw e;
        }
        SslContextHook.defineHookClass(instrumentation);
        defineBeside(SslContextHook.access(), SSL_ANCHOR, ServerHookClass.bytes(), ServerHookClass.FUNCTION_FIELD,
                new ServerFunction(), ServerHookClass.NAME);
        serverHookDefined = true;
    }

    /** Whether the server hook class is still not defined (a failed shape check): then no server rewrite works. */
    private static synchronized boolean serverHookMissing() {
        return !serverHookDefined;
    }

    /** Opens sun.nio.ch to the same throw-away loader as the SSL packages and defines the channel hook, once. */
    static synchronized void defineChannelHook(Instrumentation instrumentation) throws HookException {
        if (channelHookDefined) {
            return;
        }
        SslContextHook.defineHookClass(instrumentation);
        Class<?> access = SslContextHook.access();
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
                Map.of("sun.nio.ch", Set.of(access.getModule())), Set.of(), Map.of());
        defineBeside(access, CHANNEL_ANCHOR, ServerHookClass.channelBytes(), ServerHookClass.READING,
                new ChannelFunction(), ServerHookClass.CHANNEL_NAME);
        channelHookDefined = true;
    }

    private static void defineBeside(Class<?> access, String anchorName, byte[] bytes, String field,
            Function<Object, Object> function, String hookName) throws HookException {
        try {
            Class<?> anchor = Class.forName(anchorName, false, null);
            access.getMethod("defineBeside", Class.class, byte[].class, String.class, Function.class)
                    .invoke(null, anchor, bytes, field, function);
        } catch (InvocationTargetException e) {
            throw new HookException("cannot define " + hookName + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new HookException("cannot define " + hookName + ": " + e, e);
        }
    }

    /** Defines what the rewritten class calls: the channel hook for SocketChannelImpl, else the server hook. */
    private static final class DefineHook implements JdkClassTransformer.Preparation {
        private final Instrumentation instrumentation;
        private final boolean channel;

        DefineHook(Instrumentation instrumentation, boolean channel) {
            this.instrumentation = instrumentation;
            this.channel = channel;
        }

        @Override
        public void prepare() throws HookException {
            if (channel) {
                defineChannelHook(instrumentation);
            } else {
                defineServerHook(instrumentation);
            }
        }
    }

    /**
     * What {@code MtlsServerHook} calls: {@code {trust manager, transport}} asks for a certificate
     * request's CA list (null: the trust manager's own); {@code {session, transport}} asks whether the session may
     * resume (null: no); {@code {transport, Boolean}} tells that the client sent no certificate
     * (true: SunJSSE refuses it, as the handshake requires one); {@code {transport, trust manager}}
     * starts a handshake. Never throws (the generated code would fall back to SunJSSE's own
     * behaviour): an unexpected failure is logged once, refuses a resumption, and fails a starting
     * handshake closed when a listener is mandatory.
     */
    static final class ServerFunction implements Function<Object, Object> {
        @Override
        public Object apply(Object argument) {
            Object[] arguments = (Object[]) argument;
            if (arguments[0] instanceof X509TrustManager) {
                return acceptedIssuers(arguments[0], arguments[1]);
            }
            boolean resumption = arguments[0] instanceof SSLSession;
            boolean noCertificate = arguments[1] instanceof Boolean;
            try {
                if (noCertificate) {
                    ServerHandshakes.noClientCertificate(arguments[0], ((Boolean) arguments[1]).booleanValue());
                    return null;
                }
                if (resumption) {
                    return ServerHandshakes.mayResume((SSLSession) arguments[0], arguments[1]) ? Boolean.TRUE : null;
                }
                if (arguments[0] instanceof SSLEngine) {
                    // Listeners with ports since the last SSLContext#init (a reload): from the next read on.
                    ensureChannelHook();
                }
                return ServerHandshakes.decide(arguments[0], arguments[1] instanceof RoutingTrustManager);
            } catch (RuntimeException | LinkageError e) {
                MtlsLog.once("listener-decision-failed", Level.ERROR, "cannot decide a server handshake's listener: " + e);
                return resumption || noCertificate ? null : ServerHandshakes.failureAnswer(e);
            }
        }
    }

    /**
     * The CA list of a certificate request on {@code transport}: the agent's trust manager answers
     * for the handshake; any other (or a failure) gets null, and the hook asks the trust manager
     * itself as SunJSSE would have.
     */
    private static Object acceptedIssuers(Object trust, Object transport) {
        try {
            return trust instanceof RoutingTrustManager ? ((RoutingTrustManager) trust).acceptedIssuers(transport) : null;
        } catch (RuntimeException | LinkageError e) {
            MtlsLog.once("listener-issuers-failed", Level.ERROR, "cannot list a certificate request's CAs for a"
                    + " server handshake: " + e + "; it lists what the trust manager accepts");
            return null;
        }
    }

    /** What {@code MtlsChannelHook} calls on every socket channel read: one thread-local write. */
    static final class ChannelFunction implements Function<Object, Object> {
        @Override
        public Object apply(Object channel) {
            ChannelReads.reading(channel);
            return channel;
        }
    }

    /**
     * For the rewrites the listeners are enforced without (they record a client without a
     * certificate, or narrow a certificate request's CA list): their own failure leaves the
     * listeners enforced, and the line says what is lost; a failed shape check (no server hook at
     * all) is the one line the other rewrites give.
     */
    private static final class RecordingFailureLog implements Consumer<String> {
        private final Consumer<String> serverHookFailure;
        private final String key;
        private final String whatIsLost;

        RecordingFailureLog(Consumer<String> serverHookFailure, String key, String whatIsLost) {
            this.serverHookFailure = serverHookFailure;
            this.key = key;
            this.whatIsLost = whatIsLost;
        }

        @Override
        public void accept(String message) {
            if (serverHookMissing()) {
                serverHookFailure.accept(message);
                return;
            }
            MtlsLog.once(key, Level.ERROR, message + whatIsLost);
        }
    }

    /** Several classes share one cause of failure (the shape check): the operator reads it once. */
    private static final class FirstFailureOnly implements Consumer<String> {
        private final Consumer<String> target;
        private boolean told;

        FirstFailureOnly(Consumer<String> target) {
            this.target = target;
        }

        @Override
        public synchronized void accept(String message) {
            if (!told) {
                told = true;
                target.accept(message);
            }
        }
    }
}
