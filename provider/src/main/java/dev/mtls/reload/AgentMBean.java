package dev.mtls.reload;

import dev.mtls.snapshot.LoadedListener;
import dev.mtls.snapshot.LoadedProfile;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** {@link AgentMXBean} over a {@link ProfileWatcher}, and its registration as {@code dev.mtls:type=Agent}. */
public final class AgentMBean implements AgentMXBean {
    public static final String OBJECT_NAME = "dev.mtls:type=Agent";

    private final ProfileWatcher watcher;

    public AgentMBean(ProfileWatcher watcher) {
        this.watcher = watcher;
    }

    /**
     * Registers the watcher's MBean on the platform server, replacing one registered before (a
     * second registration is harmless: the newest watcher is the one shown).
     *
     * @throws JMException when the platform server refuses it; the agent logs it and runs on
     */
    public static void register(ProfileWatcher watcher) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName();
        AgentMBean bean = new AgentMBean(watcher);
        for (int attempt = 0; ; attempt++) {
            try {
                server.registerMBean(bean, name);
                return;
            } catch (InstanceAlreadyExistsException e) {
                if (attempt > 0) {
                    throw e;
                }
                unregister();
            }
        }
    }

    /** Removes the MBean; harmless when none is registered. */
    public static void unregister() throws JMException {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName());
        } catch (InstanceNotFoundException e) {
            // Nothing registered: nothing to do.
        }
    }

    static ObjectName objectName() {
        try {
            return new ObjectName(OBJECT_NAME);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String getProfileFile() {
        return watcher.file().toString();
    }

    @Override
    public long getGeneration() {
        return watcher.generation();
    }

    @Override
    public String getLastReloadTime() {
        return iso(watcher.status().lastReload());
    }

    @Override
    public String getLastCheckTime() {
        return iso(watcher.status().lastCheck());
    }

    @Override
    public String getLastError() {
        return watcher.status().lastError();
    }

    @Override
    public long getFailureCount() {
        return watcher.status().failures();
    }

    @Override
    public long getConsecutiveFailures() {
        return watcher.status().consecutiveFailures();
    }

    @Override
    public String getCheckInProgressSince() {
        return iso(watcher.status().inProgressSince());
    }

    @Override
    public String getLastCheckCompletedTime() {
        return iso(watcher.status().lastCompleted());
    }

    @Override
    public String getLastCheckResult() {
        return watcher.status().lastResult();
    }

    @Override
    public String getReloadInterval() {
        return watcher.interval().toString();
    }

    @Override
    public List<ProfileInfo> getProfiles() {
        Instant now = Instant.now();
        List<ProfileInfo> profiles = new ArrayList<>();
        for (LoadedProfile profile : watcher.current().profiles()) {
            profiles.add(ProfileInfo.of(profile, now, watcher.expiryWarning()));
        }
        return profiles;
    }

    @Override
    public List<ListenerInfo> getListeners() {
        Instant now = Instant.now();
        List<ListenerInfo> listeners = new ArrayList<>();
        for (LoadedListener listener : watcher.current().listeners()) {
            listeners.add(ListenerInfo.of(listener, now, watcher.expiryWarning()));
        }
        return listeners;
    }

    @Override
    public String reload() {
        return watcher.reloadNow().summary();
    }

    private static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
