package dev.mtls.jsse;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
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
 * {@code defaultContext} field instead. That works when {@code javax.net.ssl} is opened to this
 * class's module (the agent does so while installing its hook; or
 * {@code --add-opens java.base/javax.net.ssl=ALL-UNNAMED}); otherwise the default context is not
 * swept and its sessions age out by the JDK's own session timeout.
 */
public final class WrappedContexts {
    /** SSLContext keeps Object's equals and hashCode, so this compares contexts by identity. */
    private static final Map<SSLContext, Boolean> CONTEXTS = new WeakHashMap<>();
    /** Looked up again until found: the agent may open {@code javax.net.ssl} after this class loads. */
    private static volatile Field defaultContext;

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

    /** Whether the default context can be found without creating it (see the class comment). */
    public static boolean canSeeDefaultContext() {
        return defaultContextField() != null;
    }

    /** The JVM's default context if something already created it, else null; never creates it. */
    static SSLContext existingDefault() {
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
