package dev.mtls.jsse;

import dev.mtls.log.MtlsLog;
import dev.mtls.snapshot.ActiveProfiles;
import dev.mtls.snapshot.FirstUseLoad;
import dev.mtls.snapshot.ProfileSnapshot;
import dev.mtls.snapshot.ProfileSource;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.InvalidParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * {@code mtls.profiles} system property; the file is then read once, the first time TLS is used,
 * through the same load-and-publish path the agent uses (unless the agent is there to load it).
 */
public final class MtlsProvider extends Provider {
    public static final String NAME = "MtlsAgent";
    /** The system property naming the profile file when no configuration argument is given. */
    public static final String PROFILES_PROPERTY = "mtls.profiles";
    static final String SUN_JSSE = "SunJSSE";
    private static final String PROVIDER_PROPERTY = "security.provider.";

    private static final long serialVersionUID = 1L;
    /** What SunJSSE signs with in TLS 1.2 and 1.3, RSA and EC (see {@link TokenSignatureSpi}). */
    private static final List<String> TOKEN_SIGNATURES = List.of("SHA256withRSA", "SHA384withRSA", "SHA512withRSA",
            "SHA1withRSA", "RSASSA-PSS", "SHA256withECDSA", "SHA384withECDSA", "SHA512withECDSA", "SHA1withECDSA");

    private final transient ProfileSource source;
    private final transient Path profiles;

    /** Reads the profile path from {@code mtls.profiles} when it is set. */
    public MtlsProvider() {
        this(propertyPath());
    }

    private MtlsProvider(Path profiles) {
        super(NAME, "0.1", "mtls-agent: client certificates for outbound TLS, chosen by host profile");
        this.profiles = profiles;
        this.source = profiles == null ? ActiveProfiles.source() : new ProvidedFile(profiles);
        // The JDK's names and aliases, as SunJSSE registers them.
        register("KeyManagerFactory", "SunX509", List.of());
        register("KeyManagerFactory", "NewSunX509", List.of("PKIX"));
        register("TrustManagerFactory", "SunX509", List.of());
        register("TrustManagerFactory", "PKIX", List.of("SunPKIX", "X509", "X.509"));
        for (String algorithm : TOKEN_SIGNATURES) {
            putService(new TokenSignatureService(this, algorithm));
        }
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
        MtlsLog.warn("SunJSSE is not installed; the provider was not installed");
        return null;
    }

    /**
     * Lists this provider's class just before SunJSSE in the {@code security.provider.N} security
     * properties, the providers after it shifted by one, so that the JDK places it when it first
     * builds its provider list. Building that list initialises ~250 security classes (50 to 300 ms),
     * which a JVM that never uses TLS should not pay for. Only for a JVM that has not built the
     * list yet (the caller knows); once built, the list no longer reads these properties and
     * {@link #install()} is the way. The JDK finds the class by name through the system class
     * loader, which sees the agent jar.
     *
     * @return false when the properties list no SunJSSE (nothing to wrap; nothing changed)
     */
    public static boolean listBeforeSunJsse() {
        List<String> entries = new ArrayList<>();
        // The JDK reads security.provider.1, .2, ... up to the first one missing; so do we.
        for (String entry = Security.getProperty(PROVIDER_PROPERTY + 1); entry != null;
                entry = Security.getProperty(PROVIDER_PROPERTY + (entries.size() + 1))) {
            entries.add(entry.trim());
        }
        int sunJsse = -1;
        for (int i = 0; i < entries.size(); i++) {
            String name = firstWord(entries.get(i));
            if (name.equals(MtlsProvider.class.getName())) {
                return true;
            }
            if (sunJsse < 0 && (name.equals(SUN_JSSE) || name.equals("sun.security.ssl.SunJSSE")
                    || name.equals("com.sun.net.ssl.internal.ssl.Provider"))) {
                sunJsse = i;
            }
        }
        if (sunJsse < 0) {
            return false;
        }
        // From the end backwards, so that no entry is ever listed twice or lost in between.
        for (int i = entries.size() - 1; i >= sunJsse; i--) {
            Security.setProperty(PROVIDER_PROPERTY + (i + 2), entries.get(i));
        }
        Security.setProperty(PROVIDER_PROPERTY + (sunJsse + 1), MtlsProvider.class.getName());
        return true;
    }

    private static String firstWord(String entry) {
        int space = entry.indexOf(' ');
        return space < 0 ? entry : entry.substring(0, space);
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
     * Provider-only mode: registers the load of the provider's file with {@link ActiveProfiles}
     * when the provider is first used, not when it is built (the JDK builds providers while it is
     * still setting up its list, and may build ours only to look at its class name). The load is
     * the reload package's, found by name so that this package does not depend on that one.
     */
    private static final class ProvidedFile implements ProfileSource {
        private static final String LOAD_CLASS = "dev.mtls.reload.ProfileService";
        private final Path file;
        private volatile boolean registered;

        ProvidedFile(Path file) {
            this.file = file;
        }

        @Override
        public ProfileSnapshot current() {
            if (!registered) {
                register();
            }
            return ActiveProfiles.current();
        }

        private synchronized void register() {
            if (registered) {
                return;
            }
            registered = true;
            try {
                ActiveProfiles.loadOnFirstUseUnlessClaimed((FirstUseLoad) Class.forName(LOAD_CLASS)
                        .getMethod("providerOnly", Path.class).invoke(null, file));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                MtlsLog.error("cannot load profiles from " + file + ": " + e);
            }
        }
    }

    /**
     * A signature for SunPKCS11 keys only: the key-class attribute lets the JDK skip this provider
     * for every other key without instantiating anything.
     */
    private static final class TokenSignatureService extends Provider.Service {
        TokenSignatureService(MtlsProvider provider, String algorithm) {
            super(provider, "Signature", algorithm, TokenSignatureSpi.class.getName(), List.of(),
                    Map.of("SupportedKeyClasses", TokenSignatureSpi.TOKEN_KEY_CLASS));
        }

        @Override
        public Object newInstance(Object constructorParameter) {
            return new TokenSignatureSpi(getAlgorithm());
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
