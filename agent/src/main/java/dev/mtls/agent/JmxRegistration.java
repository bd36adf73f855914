package dev.mtls.agent;

import dev.mtls.reload.AgentMBean;
import dev.mtls.reload.ProfileWatcher;

/**
 * Registers {@code dev.mtls:type=Agent} on a daemon thread of its own, off the premain path: the
 * platform MBean server takes tens of milliseconds to create, and the application's main need not
 * wait for it. An application server that installs its own MBean server builder in main may
 * race with it; {@code jmx=false} turns it off. A failure is one warning; the agent runs on.
 */
final class JmxRegistration implements Runnable {
    static final String THREAD_NAME = "mtls-agent-jmx";

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
            AgentMBean.register(watcher);
        } catch (Exception | LinkageError e) {
            AgentLog.warn("cannot register the JMX bean " + AgentMBean.OBJECT_NAME + ": " + e);
        }
    }
}
