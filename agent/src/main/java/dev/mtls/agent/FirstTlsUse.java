package dev.mtls.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The one class-file transformer premain registers (without strict, as a fleet sets the agent):
 * it waits for the first class that only TLS loads, and installs the agent then. Until then a JVM
 * that never uses TLS has loaded, of the agent, only this class, {@link AgentMain} and the options.
 *
 * <p>The classes that start it are the ones the agent's own transformers rewrite or wait for: the
 * JDK's provider list ({@code sun.security.jca.ProviderList}), {@code javax.net.ssl.SSLContext},
 * SunJSSE's client session cache, and Netty's {@code SslContextBuilder} (any copy). Whichever loads
 * first runs {@link AgentInstaller#install} (which does what premain did before: registers the
 * first load of the profile file, the provider listing and the hooks), then is handed to the
 * transformers it registered, as if they had been registered in premain.
 *
 * <p>Why the transformers are not registered with the JVM then: a transformer added while a class
 * loads does not see that class, and one added while another thread loads a class may or may not
 * see it. So every transformer the installer registers is kept here instead
 * ({@link RoutedInstrumentation}), and this one, registered once, hands each class to all of them:
 * each class passes each transformer exactly once, whatever the threads do. A class that
 * starts the agent while another thread is installing it waits for that install.
 */
final class FirstTlsUse implements ClassFileTransformer {
    private static final String PROVIDER_LIST = "sun/security/jca/ProviderList";
    private static final String SSL_CONTEXT = "javax/net/ssl/SSLContext";
    private static final String SESSION_CACHE = "sun/security/ssl/SSLSessionContextImpl";
    /** Netty's builder and any shaded copy of it, as {@code SslContextBuilderTransformer} matches it. */
    private static final String NETTY_BUILDER = "/handler/ssl/SslContextBuilder";
    private static final ClassFileTransformer[] NONE = new ClassFileTransformer[0];

    private final AgentOptions options;
    private final Instrumentation instrumentation;
    /**
     * The transformers the installer registered, in order, those that may see retransformations
     * apart (as the JVM keeps them, and calls them after the others); each grows (copied) as the
     * installer registers them.
     */
    private volatile ClassFileTransformer[] plain = NONE;
    private volatile ClassFileTransformer[] retransformable = NONE;
    /** Set once {@link #install()} has finished: until then a class that starts the agent waits for it. */
    private volatile boolean installed;
    /** Set as {@link #install()} starts, so that a class the install itself loads does not start it again. */
    private boolean installing;
    private FirstProfileLoad load;

    private FirstTlsUse(AgentOptions options, Instrumentation instrumentation) {
        this.options = options;
        this.instrumentation = instrumentation;
    }

    /**
     * Registers the transformer, unless a class that starts the agent has loaded already (another
     * agent before this one used TLS): then the caller installs at once, as before.
     *
     * @return the registered transformer, or null when the caller must install now
     */
    static FirstTlsUse registerUnlessLoaded(AgentOptions options, Instrumentation instrumentation) {
        for (Class<?> type : instrumentation.getInitiatedClasses(null)) {
            String name = type.getName();
            if (name.equals("sun.security.jca.ProviderList") || name.equals("javax.net.ssl.SSLContext")
                    || name.equals("sun.security.ssl.SSLSessionContextImpl")) {
                return null;
            }
        }
        FirstTlsUse first = new FirstTlsUse(options, instrumentation);
        // Retransformable, so that the hook transformers it hands classes to see retransformations too.
        instrumentation.addTransformer(first, true);
        return first;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        // Called for every class the JVM loads from now on: keep the miss cheap.
        if (!installed && classBeingRedefined == null && startsTheAgent(loader, className)) {
            install();
        }
        byte[] bytes = classfileBuffer;
        if (classBeingRedefined == null) {
            bytes = each(plain, loader, className, null, protectionDomain, bytes);
        }
        bytes = each(retransformable, loader, className, classBeingRedefined, protectionDomain, bytes);
        return bytes == classfileBuffer ? null : bytes;
    }

    /** Hands the class to each transformer in turn, each getting what the one before made of it. */
    private static byte[] each(ClassFileTransformer[] transformers, ClassLoader loader, String className,
            Class<?> classBeingRedefined, ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        byte[] bytes = classfileBuffer;
        for (ClassFileTransformer transformer : transformers) {
            byte[] changed;
            try {
                changed = transformer.transform(loader, className, classBeingRedefined, protectionDomain, bytes);
            } catch (Throwable t) {
                // The JVM would drop what we throw, and what the other transformers did with it.
                changed = null;
            }
            if (changed != null) {
                bytes = changed;
            }
        }
        return bytes;
    }

    /**
     * Installs the agent now, if a class that starts it has not done so already: an attach after
     * {@code -javaagent} applies its options to an agent that is installed.
     *
     * @return the first load that was registered, or null when installing failed
     */
    synchronized FirstProfileLoad install() {
        if (installing) {
            return load;
        }
        installing = true;
        try {
            load = AgentInstaller.install(options, new RoutedInstrumentation(instrumentation, this), false, null);
        } catch (Throwable t) {
            // Not strict (strict installs in premain): the application runs on as without the agent.
            System.err.println("mtls-agent: not started: " + t);
        } finally {
            installed = true;
        }
        return load;
    }

    /** From {@link RoutedInstrumentation}: the installer registers a transformer. */
    synchronized void add(ClassFileTransformer transformer, boolean canRetransform) {
        if (canRetransform) {
            retransformable = grown(retransformable, transformer);
        } else {
            plain = grown(plain, transformer);
        }
    }

    /** From {@link RoutedInstrumentation}: a hook that failed takes its transformer back. */
    synchronized boolean remove(ClassFileTransformer transformer) {
        ClassFileTransformer[] shrunk = without(retransformable, transformer);
        if (shrunk != null) {
            retransformable = shrunk;
            return true;
        }
        shrunk = without(plain, transformer);
        if (shrunk != null) {
            plain = shrunk;
            return true;
        }
        return false;
    }

    private static ClassFileTransformer[] grown(ClassFileTransformer[] current, ClassFileTransformer added) {
        ClassFileTransformer[] grown = new ClassFileTransformer[current.length + 1];
        System.arraycopy(current, 0, grown, 0, current.length);
        grown[current.length] = added;
        return grown;
    }

    /** The array without the last occurrence of {@code removed}, or null when it is not there. */
    private static ClassFileTransformer[] without(ClassFileTransformer[] current, ClassFileTransformer removed) {
        for (int i = current.length - 1; i >= 0; i--) {
            if (current[i] == removed) {
                ClassFileTransformer[] shrunk = new ClassFileTransformer[current.length - 1];
                System.arraycopy(current, 0, shrunk, 0, i);
                System.arraycopy(current, i + 1, shrunk, i, current.length - i - 1);
                return shrunk;
            }
        }
        return null;
    }

    private static boolean startsTheAgent(ClassLoader loader, String className) {
        if (className == null) {
            return false;
        }
        if (loader == null) {
            return className.equals(SSL_CONTEXT) || className.equals(PROVIDER_LIST) || className.equals(SESSION_CACHE);
        }
        return className.endsWith(NETTY_BUILDER);
    }
}
