package dev.mtls.material;

import dev.mtls.files.BoundedReads;
import dev.mtls.files.FileTask;
import dev.mtls.files.UnreadableFileException;
import static dev.mtls.material.TokenFailure.causes;
import static dev.mtls.material.TokenFailure.reason;

import dev.mtls.profile.Pkcs11Key;
import dev.mtls.profile.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys in PKCS#11 tokens, through the JDK's SunPKCS11: one provider instance per token
 * configuration (library and slot), configured when first needed and kept for the life of the
 * JVM, and never added to the JVM's provider list, so an application's provider order stays as
 * it was. The key never leaves the token: the {@link PrivateKey} handed to TLS is SunPKCS11's
 * handle, and signatures with it go through {@link #sign} (see the JSSE provider's signature
 * services, which route a token key here).
 *
 * <p>A token named by label is found by {@link TokenLabels}.
 *
 * <p>Every call into the token runs through {@link BoundedReads}, keyed by the library's path: a
 * token that does not answer (a hung HSM, a network HSM that is gone) fails the load after
 * {@link BoundedReads#TIMEOUT} rather than capturing the reload or a handshake thread.
 */
public final class Pkcs11Tokens {
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();
    private static final String WRONG_PIN = "wrong PIN (the token refused the login)";
    /**
     * The last PIN each token (library and slot) refused. Tried again only once it changes: most
     * tokens lock the user PIN after a few wrong ones, and a profile with a wrong PIN is retried
     * (and its token state read) on every reload tick.
     */
    private static final Map<String, Secret> REFUSED_PINS = new ConcurrentHashMap<>();
    /**
     * Each key handed out, with where it came from, so a signature finds its token without asking
     * the token. Weak: a key no identity holds any more goes.
     */
    private static final Map<PrivateKey, TokenKey> KEYS = Collections.synchronizedMap(new WeakHashMap<>());

    private Pkcs11Tokens() {
    }

    /** The key and its chain as the token holds them under the key's label. */
    static final class Contents {
        final Provider provider;
        final PrivateKey key;
        final List<X509Certificate> chain;

        Contents(Provider provider, PrivateKey key, List<X509Certificate> chain) {
            this.provider = provider;
            this.key = key;
            this.chain = chain;
        }
    }

    /**
     * Reads the key and the certificates under its label.
     *
     * @throws MaterialException naming the token and the label (never the PIN): the library does
     *     not load, no such token or slot, wrong PIN, no key under the label, or no answer in time
     */
    static Contents read(Pkcs11Key spec) throws MaterialException {
        try {
            Contents contents = BoundedReads.shared().run(spec.library(), new Read(spec));
            KEYS.put(contents.key, new TokenKey(contents.provider, spec.library(), describe(spec)));
            return contents;
        } catch (TokenFailure e) {
            throw new MaterialException(describe(spec) + ": " + e.getMessage());
        } catch (UnreadableFileException e) {
            throw new MaterialException(describe(spec) + ": the token did not answer within "
                    + BoundedReads.TIMEOUT.getSeconds() + " s; it is not asked again until that call returns");
        } catch (IOException e) {
            throw new MaterialException(describe(spec) + ": " + e);
        }
    }

    /**
     * What the token holds under the key's label now, for the reload's change detection: a digest
     * of the certificates (a new certificate or a new key with its certificate changes it), or the
     * reason it cannot be read. Call it on a thread that may be abandoned (it is not bounded here).
     */
    public static String state(Pkcs11Key spec) {
        try {
            Contents contents = new Read(spec).apply(spec.library());
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(contents.key.getAlgorithm().getBytes(StandardCharsets.US_ASCII));
            for (X509Certificate certificate : contents.chain) {
                sha256.update(certificate.getEncoded());
            }
            StringBuilder hex = new StringBuilder("token ");
            for (byte b : sha256.digest()) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (TokenFailure e) {
            return "unreadable: " + e.getMessage();
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return "unreadable: " + e.getClass().getSimpleName();
        }
    }

    /**
     * Called by the agent at start: {@code export} makes the JDK's PKCS#11 wrapper package readable
     * to this module (Instrumentation#redefineModule); run only when a token is first named by
     * label, so a JVM without token identities pays nothing.
     */
    public static void exportWrapperWith(Runnable export) {
        TokenLabels.exportWith(export);
    }

    /**
     * Signs {@code data} with a token key this class read, on a bounded worker: every PKCS#11 call
     * of the signature (C_SignInit, C_Sign) runs there, so a token that stops answering fails the
     * handshake after {@link BoundedReads#TIMEOUT} with a message, never holding its thread.
     *
     * @param params null, or the parameters (RSASSA-PSS)
     * @throws InvalidKeyException when the key is not one of a token read here (another provider's)
     * @throws SignatureException naming the token when it fails or does not answer
     */
    public static byte[] sign(String algorithm, AlgorithmParameterSpec params, PrivateKey key, SecureRandom random,
            byte[] data) throws InvalidKeyException, SignatureException {
        TokenKey owner = KEYS.get(key);
        if (owner == null) {
            throw new InvalidKeyException("not a key of a PKCS#11 token mtls-agent read");
        }
        try {
            return BoundedReads.shared().run(owner.library, new Sign(owner.provider, algorithm, params, key, random,
                    data));
        } catch (TokenFailure e) {
            throw new SignatureException(owner.name + ": " + e.getMessage(), e.getCause());
        } catch (UnreadableFileException e) {
            throw new SignatureException(owner.name + ": the token did not answer within "
                    + BoundedReads.TIMEOUT.getSeconds() + " s");
        } catch (IOException e) {
            throw new SignatureException(owner.name + ": " + e, e);
        }
    }

    /**
     * Whether {@link #sign} can make this signature: a key of a token read here, whose provider
     * offers the algorithm (SunPKCS11 lists only what the token's mechanisms allow, e.g. no
     * RSASSA-PSS without CKM_RSA_PKCS_PSS, and then TLS chooses another scheme). No token call.
     */
    public static boolean canSign(PrivateKey key, String algorithm) {
        TokenKey owner = KEYS.get(key);
        return owner != null && owner.provider.getService("Signature", algorithm) != null;
    }

    /** Whether {@code key} is the handle of a key in a token this class read. No token call. */
    public static boolean isTokenKey(PrivateKey key) {
        return KEYS.containsKey(key);
    }

    /**
     * Whether a token identity in force still signs: one test signature with its key, bounded in
     * time as every token call, checked against its certificate, as the load does. The reload asks
     * it when a new load failed, to decide between keeping this identity and failing closed.
     *
     * @return null when it signs, else the reason, naming the token, library and label (never the PIN)
     */
    public static String signingProblem(Identity identity) {
        PrivateKey key = identity.privateKey();
        TokenKey owner = KEYS.get(key);
        if (owner == null) {
            return null;
        }
        try {
            KeyPairCheck.checkOnToken(owner.name, key, identity.leaf());
            return null;
        } catch (MaterialException e) {
            return e.getMessage();
        }
    }

    /** The provider and library a key came from, and how messages name it. */
    private static final class TokenKey {
        final Provider provider;
        final Path library;
        final String name;

        TokenKey(Provider provider, Path library, String name) {
            this.provider = provider;
            this.library = library;
            this.name = name;
        }
    }

    /** One signature, on the bounded worker. */
    private static final class Sign implements FileTask<byte[]> {
        private final Provider provider;
        private final String algorithm;
        private final AlgorithmParameterSpec params;
        private final PrivateKey key;
        private final SecureRandom random;
        private final byte[] data;

        Sign(Provider provider, String algorithm, AlgorithmParameterSpec params, PrivateKey key, SecureRandom random,
                byte[] data) {
            this.provider = provider;
            this.algorithm = algorithm;
            this.params = params;
            this.key = key;
            this.random = random;
            this.data = data;
        }

        @Override
        public byte[] apply(Path library) throws IOException {
            try {
                Signature signature = Signature.getInstance(algorithm, provider);
                if (params != null) {
                    signature.setParameter(params);
                }
                if (random != null) {
                    signature.initSign(key, random);
                } else {
                    signature.initSign(key);
                }
                signature.update(data);
                return signature.sign();
            } catch (GeneralSecurityException | RuntimeException e) {
                TokenFailure failure = new TokenFailure("the token cannot sign (" + reason(e) + ")");
                failure.initCause(e);
                throw failure;
            }
        }
    }

    static String describe(Pkcs11Key spec) {
        return "pkcs11 " + spec.describeToken() + " key '" + spec.label() + "' (library " + spec.library() + ")";
    }

    /** Runs on a bounded worker: every PKCS#11 call of one read. */
    private static final class Read implements FileTask<Contents> {
        private final Pkcs11Key spec;

        Read(Pkcs11Key spec) {
            this.spec = spec;
        }

        @Override
        public Contents apply(Path library) throws IOException {
            long slot = spec.slot() != null ? spec.slot() : TokenLabels.slotOf(library, spec.token());
            Provider provider = provider(library, slot);
            KeyStore store;
            try {
                store = KeyStore.getInstance("PKCS11", provider);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new TokenFailure("no PKCS#11 keystore in " + provider.getName() + " (" + reason(e) + ")");
            }
            String refusedKey = library + "#" + slot;
            if (spec.pin().equals(REFUSED_PINS.get(refusedKey))) {
                throw new TokenFailure(WRONG_PIN + "; not tried again until the PIN changes, so that the reload does"
                        + " not lock the token");
            }
            char[] pin = spec.pin().chars();
            try {
                store.load(null, pin);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                String problem = loginProblem(e);
                if (problem.equals(WRONG_PIN)) {
                    // A token locks its PIN after a few wrong ones: the reload's retries must not be those.
                    REFUSED_PINS.put(refusedKey, spec.pin());
                }
                throw new TokenFailure(problem);
            } finally {
                Arrays.fill(pin, '\0');
            }
            return entry(provider, store);
        }

        private Contents entry(Provider provider, KeyStore store) throws TokenFailure {
            String label = spec.label();
            Key key;
            Certificate[] chain;
            try {
                if (!store.containsAlias(label) || !store.isKeyEntry(label)) {
                    throw new TokenFailure("no private key with a certificate under label '" + label + "' (the token"
                            + " lists " + labels(store) + "; the JDK sees a key only when its certificate, with"
                            + " the same CKA_ID, is on the token too)");
                }
                key = store.getKey(label, null);
                chain = store.getCertificateChain(label);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new TokenFailure("cannot read the key under label '" + label + "' (" + reason(e) + ")");
            }
            if (!(key instanceof PrivateKey)) {
                throw new TokenFailure("the object under label '" + label + "' is not a private key");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            if (chain != null) {
                for (Certificate certificate : chain) {
                    if (certificate instanceof X509Certificate) {
                        certificates.add((X509Certificate) certificate);
                    }
                }
            }
            return new Contents(provider, (PrivateKey) key, certificates);
        }

        private static String labels(KeyStore store) {
            try {
                List<String> aliases = Collections.list(store.aliases());
                return aliases.isEmpty() ? "no key with a certificate" : "'" + String.join("', '", aliases) + "'";
            } catch (GeneralSecurityException e) {
                return "nothing readable";
            }
        }

        private String loginProblem(Exception e) {
            String text = causes(e);
            if (text.contains("CKR_PIN_INCORRECT") || text.contains("FailedLogin")) {
                return WRONG_PIN;
            }
            if (text.contains("CKR_PIN_LOCKED")) {
                return "the PIN is locked (too many wrong PINs); unlock it with the security officer's PIN";
            }
            if (text.contains("CKR_TOKEN_NOT_PRESENT") || text.contains("not present")) {
                return "no token in the slot";
            }
            return "cannot log in to the token (" + reason(e) + ")";
        }
    }

    /** The SunPKCS11 instance for this library and slot, configured on first use. */
    private static Provider provider(Path library, long slot) throws TokenFailure {
        String key = library + "#" + slot;
        Provider known = PROVIDERS.get(key);
        if (known != null) {
            return known;
        }
        synchronized (PROVIDERS) {
            known = PROVIDERS.get(key);
            if (known != null) {
                return known;
            }
            if (!Files.isRegularFile(library)) {
                throw new TokenFailure("the PKCS#11 library " + library + " does not exist");
            }
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new TokenFailure("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
            }
            Provider configured;
            try {
                // The path quoted: SunPKCS11's configuration is tokenised and a path may hold blanks.
                configured = base.configure("--name=mtls-agent-" + slot + "\nlibrary = \"" + library + "\"\nslot = "
                        + slot + "\n");
            } catch (RuntimeException e) {
                throw new TokenFailure(slotProblem(library, slot, e));
            }
            PROVIDERS.put(key, configured);
            return configured;
        }
    }

    /** A library that does not load surfaces as an IOException; anything else is the slot's. */
    private static String slotProblem(Path library, long slot, RuntimeException e) {
        for (Throwable cause = e; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return "the PKCS#11 library " + library + " does not load (" + reason(cause) + ")";
            }
        }
        return "no usable token in slot " + slot + " (" + reason(e) + ")";
    }
}
