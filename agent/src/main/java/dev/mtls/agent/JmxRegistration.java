package dev.mtls.agent;

import dev.mtls.log.MtlsLog;
import dev.mtls.reload.AgentMBean;
import dev.mtls.reload.ProfileWatcher;
import javax.management.MBeanServerFactory;

/**
 * Registers {@code dev.mtls:type=Agent} on a daemon thread of its own, off the premain path, and
 * after the application has started: creating the platform MBean server costs ~100 ms of CPU
 * (~70 ms of wall time on two cores, measured with StartupBenchmark), which a JVM that starts,
 * calls a backend and exits within a second should not pay, and a longer-lived one pays when it
 * is no longer starting. When a server exists already ({@code -Dcom.sun.management.jmxremote},
 * another agent, an application server), registering is cheap and happens at once.
 *
 * <p>An application server that installs its own MBean server builder in main may race with
 * it; {@code jmx=false} turns it off. A failure is one warning; the agent runs on.
 */
final class JmxRegistration implements Runnable {
    static final String THREAD_NAME = "mtls-agent-jmx";
    /** Long enough for a short-lived JVM's start and first calls; invisible to an operator. */
    static final long DELAY_MILLIS = 2_000;

    private final ProfileWatcher watcher;

    private JmxRegistration(ProfileWatcher watcher) {
        this.watcher = watcher;
    }

    static void startInBackground(ProfileWatcher watcher) {
        Thread thread = new Thread(new JmxRegistration(watcher), THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        try {
            // The platform server is created through MBeanServerFactory, which keeps every server it made.
            if (MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                Thread.sleep(DELAY_MILLIS);
            }
            AgentMBean.register(watcher);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | LinkageError e) {
            MtlsLog.warn("cannot register the JMX bean " + AgentMBean.OBJECT_NAME + ": " + e);
        }
    }
}
