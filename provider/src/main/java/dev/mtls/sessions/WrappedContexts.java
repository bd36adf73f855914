package dev.mtls.sessions;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The SSLContexts whose client sessions a reload must sweep: every context the agent's
 * {@code SSLContext#init} hook wrapped, held weakly so that registering one never keeps an
 * application's context (and its session cache) alive.
 *
 * <p>The JVM's default context is never registered: SunJSSE builds it without calling
 * {@code init}. It is swept too, but only if the JVM already created it. {@code getDefault()}
 * would create it, freezing the {@code javax.net.ssl.*} properties as they are at that moment
 * (an application may still set them), so it is read from {@code SSLContext}'s private
 * {@code defaultContext} field instead: through the finder the agent supplies (code of its hook,
 * which has {@code javax.net.ssl} opened to a private loader, never to the application's class
 * path), else directly when the package is opened to this class
 * ({@code --add-opens java.base/javax.net.ssl=ALL-UNNAMED}). With neither, the default context is
 * not swept and its sessions age out on the JDK's own session timeout.
 */
public final class WrappedContexts {
    /** SSLContext keeps Object's equals and hashCode, so this compares contexts by identity. */
    private static final Map<SSLContext, Boolean> CONTEXTS = new WeakHashMap<>();
    /** Looked up again until found: the package may be opened after this class loads. */
    private static volatile Field defaultContext;
    private static volatile Supplier<SSLContext> defaultFinder;

    private WrappedContexts() {
    }

    /** Remembers a context to sweep; harmless to call more than once for the same one. Never throws. */
    public static void register(SSLContext context) {
        if (context == null) {
            return;
        }
        synchronized (CONTEXTS) {
            CONTEXTS.put(context, Boolean.TRUE);
        }
    }

    /** Registered contexts still alive, plus the default context when the JVM already made it. */
    public static List<SSLContext> live() {
        List<SSLContext> live;
        synchronized (CONTEXTS) {
            live = new ArrayList<>(CONTEXTS.keySet());
        }
        SSLContext existingDefault = existingDefault();
        if (existingDefault != null && !live.contains(existingDefault)) {
            live.add(existingDefault);
        }
        return live;
    }

    /** How many registered contexts are still alive (the default context not counted). */
    public static int size() {
        synchronized (CONTEXTS) {
            return CONTEXTS.size();
        }
    }

    /**
     * How to find the JVM's default context without creating it: a supplier that answers the
     * context if the JVM already made it, else null. The agent supplies one from its hook code.
     */
    public static void findDefaultContextWith(Supplier<SSLContext> finder) {
        defaultFinder = finder;
    }

    /** Whether the default context can be found without creating it (see the class comment). */
    public static boolean canSeeDefaultContext() {
        return defaultFinder != null || defaultContextField() != null;
    }

    /** The JVM's default context if something already created it, else null; never creates it. */
    static SSLContext existingDefault() {
        Supplier<SSLContext> finder = defaultFinder;
        if (finder != null) {
            try {
                return finder.get();
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
        Field field = defaultContextField();
        if (field == null) {
            return null;
        }
        try {
            return (SSLContext) field.get(null);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    private static Field defaultContextField() {
        Field found = defaultContext;
        if (found != null) {
            return found;
        }
        try {
            Field field = SSLContext.class.getDeclaredField("defaultContext");
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != SSLContext.class
                    || !field.trySetAccessible()) {
                return null;
            }
            defaultContext = field;
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            // Another JDK's layout, or a security manager: the default context is then not swept.
            return null;
        }
    }
}
