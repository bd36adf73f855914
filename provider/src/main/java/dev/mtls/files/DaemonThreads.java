package dev.mtls.files;

import java.util.concurrent.ThreadFactory;

/**
 * Daemon worker threads of one name, for the agent's own pools. A class rather than a lambda: the
 * first task may be submitted in premain (strict=true) or in the application's first TLS call.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String name;

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable task) {
        // No inherited thread locals and the agent's own class loader: the first caller may be an
        // application thread, whose loader an idle worker must not keep alive.
        Thread thread = new Thread(null, task, name, 0, false);
        thread.setDaemon(true);
        try {
            thread.setContextClassLoader(DaemonThreads.class.getClassLoader());
        } catch (SecurityException e) {
            // A security manager that forbids it: the inherited loader is only a leak, not a fault.
        }
        return thread;
    }
}
