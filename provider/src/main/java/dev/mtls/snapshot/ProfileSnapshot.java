package dev.mtls.snapshot;

import dev.mtls.match.CachingHostMatcher;
import dev.mtls.match.HostMatch;
import dev.mtls.match.HostMatcher;
import dev.mtls.match.HostPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything loaded from one profile file at one moment, its profiles (client side) and its
 * listeners (server side), immutable. Readers take one reference
 * and never see half a reload; the generation tells snapshots apart so that a handshake never
 * mixes a key from one with a chain from another.
 */
public final class ProfileSnapshot {
    private final long generation;
    private final Path file;
    private final Instant loadedAt;
    private final Duration reload;
    private final List<LoadedProfile> profiles;
    private final Map<String, LoadedProfile> byName;
    private final CachingHostMatcher<LoadedProfile> matcher;
    private final List<LoadedListener> listeners;
    private final Map<Integer, LoadedListener> listenerByPort;
    private final LoadedListener everyPortListener;

    /**
     * @param profiles in file order, names and host patterns unique
     * @param reload the file's own reload setting, or null when it has none
     */
    public ProfileSnapshot(long generation, Path file, Instant loadedAt, Duration reload,
            List<LoadedProfile> profiles) {
        this(generation, file, loadedAt, reload, profiles, List.of());
    }

    /**
     * @param profiles in file order, names and host patterns unique
     * @param listeners in file order, names and ports unique, at most one without ports
     * @param reload the file's own reload setting, or null when it has none
     */
    public ProfileSnapshot(long generation, Path file, Instant loadedAt, Duration reload,
            List<LoadedProfile> profiles, List<LoadedListener> listeners) {
        this.generation = generation;
        this.file = file;
        this.loadedAt = loadedAt;
        this.reload = reload;
        this.profiles = List.copyOf(profiles);
        Map<String, LoadedProfile> names = new LinkedHashMap<>();
        Map<HostPattern, LoadedProfile> patterns = new LinkedHashMap<>();
        for (LoadedProfile profile : this.profiles) {
            names.put(profile.name(), profile);
            for (HostPattern pattern : profile.hosts()) {
                patterns.put(pattern, profile);
            }
        }
        this.byName = Map.copyOf(names);
        this.matcher = new CachingHostMatcher<>(HostMatcher.of(patterns));
        this.listeners = List.copyOf(listeners);
        Map<Integer, LoadedListener> ports = new HashMap<>();
        LoadedListener everyPort = null;
        for (LoadedListener listener : this.listeners) {
            if (listener.ports().isEmpty()) {
                everyPort = listener;
            }
            for (Integer port : listener.ports()) {
                ports.put(port, listener);
            }
        }
        this.listenerByPort = Map.copyOf(ports);
        this.everyPortListener = everyPort;
    }

    /** A snapshot with no profiles: every connection is left as it is. */
    public static ProfileSnapshot empty(Path file) {
        return new ProfileSnapshot(0, file, Instant.EPOCH, null, List.of());
    }

    public long generation() {
        return generation;
    }

    public Path file() {
        return file;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public Optional<Duration> reload() {
        return Optional.ofNullable(reload);
    }

    public List<LoadedProfile> profiles() {
        return profiles;
    }

    public Optional<LoadedProfile> profile(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<LoadedListener> listeners() {
        return listeners;
    }

    public Optional<LoadedListener> listener(String name) {
        for (LoadedListener listener : listeners) {
            if (listener.name().equals(name)) {
                return Optional.of(listener);
            }
        }
        return Optional.empty();
    }

    /**
     * The listener for a server handshake on a local port: the one that names the port, else the
     * one without ports (every server handshake), else none.
     *
     * @param localPort the server socket's local port, or -1 when the transport does not tell it
     *     (then only a listener without ports can apply; whether a port rule might have applied
     *     is {@link #hasPortListeners()})
     */
    public Optional<LoadedListener> listenerForPort(int localPort) {
        LoadedListener byPort = localPort < 0 ? null : listenerByPort.get(localPort);
        return Optional.ofNullable(byPort != null ? byPort : everyPortListener);
    }

    /** Whether any listener names ports, so that a handshake whose port is unknown might be under one. */
    public boolean hasPortListeners() {
        return !listenerByPort.isEmpty();
    }

    /**
     * The profile for a peer, and the pattern that chose it.
     *
     * @param host as the application asked for it; null or empty means no profile
     * @param port the peer port, or -1 when unknown
     */
    public Optional<HostMatch<LoadedProfile>> match(String host, int port) {
        return matcher.match(host, port);
    }
}
