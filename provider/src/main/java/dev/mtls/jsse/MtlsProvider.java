package dev.mtls.jsse;

import dev.mtls.profile.ProfileSnapshot;
import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.List;

/**
 * Registers {@code KeyManagerFactory} and {@code TrustManagerFactory} under the JDK's own names,
 * each SunJSSE's implementation with routing managers around what it returns. Placed just before
 * SunJSSE, it is what {@code getInstance(getDefaultAlgorithm())} finds, and so what every default
 * {@code SSLContext} (SunJSSE's and Bouncy Castle's) is built from. Why the JDK's names and not
 * our own: {@code getInstance(getDefaultAlgorithm(), "SunJSSE")} (Jetty does this) must keep
 * working; it simply bypasses us.
 *
 * <p>The constructor is cheap and loads nothing: the JDK may instantiate every provider it finds
 * through ServiceLoader while looking for another one. Provider-only mode names the profile file
 * as the configuration argument in a {@code java.security} override
 * ({@code security.provider.N=dev.mtls.jsse.MtlsProvider /etc/mtls/profiles.yaml}) or in the
 * {@code mtls.profiles} system property; the file is then read once, at the first handshake.
 */
public final class MtlsProvider extends Provider {
    public static final String NAME = "MtlsAgent";
    /** The system property naming the profile file when no configuration argument is given. */
    public static final String PROFILES_PROPERTY = "mtls.profiles";
    static final String SUN_JSSE = "SunJSSE";

    private static final long serialVersionUID = 1L;

    private final transient ProfileSource source;
    private final transient Path profiles;

    /** Reads the profile path from {@code mtls.profiles} when it is set. */
    public MtlsProvider() {
        this(propertyPath());
    }

    private MtlsProvider(Path profiles) {
        super(NAME, "0.1", "mtls-agent: client certificates for outbound TLS, chosen by host profile");
        this.profiles = profiles;
        this.source = profiles == null ? new Published() : new ProfileFileSource(profiles);
        // The JDK's names and aliases, as SunJSSE registers them.
        register("KeyManagerFactory", "SunX509", List.of());
        register("KeyManagerFactory", "NewSunX509", List.of("PKIX"));
        register("TrustManagerFactory", "SunX509", List.of());
        register("TrustManagerFactory", "PKIX", List.of("SunPKIX", "X509", "X.509"));
    }

    private void register(String type, String algorithm, List<String> aliases) {
        putService(new RoutingService(this, type, algorithm, aliases));
    }

    /** @param configArg the path of the profile file */
    @Override
    public Provider configure(String configArg) {
        if (configArg == null || configArg.isBlank()) {
            throw new InvalidParameterException("mtls-agent: the provider's argument must be a profile file path");
        }
        try {
            return new MtlsProvider(Path.of(configArg.trim()));
        } catch (InvalidPathException e) {
            throw new InvalidParameterException("mtls-agent: not a file path: " + configArg);
        }
    }

    /** The profile file this provider loads itself, or null when profiles are published by someone else. */
    public Path profiles() {
        return profiles;
    }

    ProfileSource source() {
        return source;
    }

    /**
     * Puts a provider just before SunJSSE, unless one of this name is already installed. A
     * provider the application put first (BCJSSE, Conscrypt) keeps its place: OkHttp, for one,
     * picks its TLS platform from the first provider's name.
     *
     * @return the provider in place, or null when SunJSSE is absent (we would have nothing to wrap)
     */
    public static synchronized Provider install() {
        Provider present = Security.getProvider(NAME);
        if (present != null) {
            return present;
        }
        Provider[] providers = Security.getProviders();
        for (int i = 0; i < providers.length; i++) {
            if (SUN_JSSE.equals(providers[i].getName())) {
                MtlsProvider provider = new MtlsProvider();
                Security.insertProviderAt(provider, i + 1);
                return provider;
            }
        }
        if (LogThreshold.allows(Level.WARNING)) {
            System.getLogger("dev.mtls").log(Level.WARNING,
                    "mtls-agent: SunJSSE is not installed; the provider was not installed");
        }
        return null;
    }

    private static Path propertyPath() {
        try {
            String value = System.getProperty(PROFILES_PROPERTY);
            return value == null || value.isBlank() ? null : Path.of(value.trim());
        } catch (SecurityException | InvalidPathException e) {
            return null;
        }
    }

    /**
     * Reads {@link ActiveProfiles} only when a handshake asks: touching it here would build the
     * empty snapshot (and its matcher and cache) while the JDK is still loading providers.
     */
    private static final class Published implements ProfileSource {
        @Override
        public ProfileSnapshot current() {
            return ActiveProfiles.current();
        }
    }

    /** Creates the SPI directly, so it can be handed this provider's profile source. */
    private static final class RoutingService extends Provider.Service {
        RoutingService(MtlsProvider provider, String type, String algorithm, List<String> aliases) {
            super(provider, type, algorithm, type.equals("KeyManagerFactory")
                    ? RoutingKeyManagerFactorySpi.class.getName()
                    : RoutingTrustManagerFactorySpi.class.getName(), aliases, null);
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            ProfileSource source = ((MtlsProvider) getProvider()).source;
            return getType().equals("KeyManagerFactory")
                    ? new RoutingKeyManagerFactorySpi(getAlgorithm(), source)
                    : new RoutingTrustManagerFactorySpi(getAlgorithm(), source);
        }
    }
}
