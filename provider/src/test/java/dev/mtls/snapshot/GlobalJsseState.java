package dev.mtls.snapshot;

import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Captures the JVM-wide state tests change (Security's provider list, ActiveProfiles) and puts it back. */
public final class GlobalJsseState {
    private final List<String> providers = names();
    private final ProfileSnapshot profiles = ActiveProfiles.published();

    public void restore() {
        for (String name : names()) {
            if (!providers.contains(name)) {
                Security.removeProvider(name);
            }
        }
        ActiveProfiles.forgetFirstLoad();
        ActiveProfiles.publish(profiles);
        if (!names().equals(providers)) {
            throw new AssertionError("provider list not restored: " + names() + " instead of " + providers);
        }
    }

    public static List<String> names() {
        return Arrays.stream(Security.getProviders()).map(Provider::getName).collect(Collectors.toList());
    }
}
