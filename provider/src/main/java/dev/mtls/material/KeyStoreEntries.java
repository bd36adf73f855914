package dev.mtls.material;

import dev.mtls.profile.Secret;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Picks the private-key entry of an identity keystore and reads its key and chain. */
final class KeyStoreEntries {
    private KeyStoreEntries() {
    }

    /** {@code alias} null: the store's only private-key entry. */
    static String chooseAlias(Path file, KeyStore store, String alias) throws MaterialException {
        List<String> keyAliases = privateKeyAliases(file, store);
        if (alias != null) {
            // Both JDK stores look aliases up case-insensitively; so do we, through the store.
            for (String candidate : keyAliases) {
                if (candidate.equalsIgnoreCase(alias)) {
                    return candidate;
                }
            }
            throw new MaterialException(file + ": no key entry with alias '" + alias + "'" + listed(keyAliases));
        }
        if (keyAliases.size() == 1) {
            return keyAliases.get(0);
        }
        if (keyAliases.isEmpty()) {
            throw new MaterialException(file + ": no key entry in the keystore (it holds only certificates)");
        }
        throw new MaterialException(file + ": several key entries; choose one with alias" + listed(keyAliases));
    }

    /**
     * {@code keyPassword} null: the store password, as keytool and most servers assume. Which of
     * the two was tried is named in the message, so the operator knows which one to fix.
     */
    static PrivateKey privateKey(Path file, KeyStore store, String alias, Secret keyPassword, Secret storePassword)
            throws MaterialException {
        Secret password = keyPassword != null ? keyPassword : storePassword;
        if (password == null) {
            throw new MaterialException(file + ": no password for the private key of alias '" + alias
                    + "' (set keyPassword or storePassword)");
        }
        char[] chars = password.chars();
        try {
            Key key = store.getKey(alias, chars);
            if (!(key instanceof PrivateKey)) {
                throw new MaterialException(file + ": alias '" + alias + "' holds no private key");
            }
            return (PrivateKey) key;
        } catch (UnrecoverableKeyException e) {
            throw new MaterialException(file + ": wrong key password for alias '" + alias + "'"
                    + (keyPassword == null ? " (the store password was tried; set keyPassword)" : ""), e);
        } catch (KeyStoreException | NoSuchAlgorithmException e) {
            throw new MaterialException(file + ": cannot read the private key of alias '" + alias + "'", e);
        } catch (RuntimeException e) {
            throw damaged(file, e);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    static List<X509Certificate> chain(Path file, KeyStore store, String alias) throws MaterialException {
        Certificate[] chain;
        try {
            chain = store.getCertificateChain(alias);
        } catch (KeyStoreException e) {
            throw new MaterialException(file + ": cannot read the certificate chain of alias '" + alias + "'", e);
        } catch (RuntimeException e) {
            throw damaged(file, e);
        }
        if (chain == null || chain.length == 0) {
            throw new MaterialException(file + ": alias '" + alias + "' has no certificate");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate certificate : chain) {
            if (!(certificate instanceof X509Certificate)) {
                throw new MaterialException(file + ": alias '" + alias + "' holds a " + certificate.getType()
                        + " certificate, not X.509");
            }
            certificates.add((X509Certificate) certificate);
        }
        return certificates;
    }

    private static List<String> privateKeyAliases(Path file, KeyStore store) throws MaterialException {
        try {
            List<String> aliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                // isKeyEntry is also true for secret keys, which cannot authenticate anyone.
                if (store.entryInstanceOf(alias, KeyStore.PrivateKeyEntry.class)) {
                    aliases.add(alias);
                }
            }
            Collections.sort(aliases);
            return aliases;
        } catch (KeyStoreException e) {
            throw new MaterialException(file + ": cannot list the keystore's entries", e);
        } catch (RuntimeException e) {
            throw damaged(file, e);
        }
    }

    /**
     * The JDK's JKS and JCEKS stores load a key entry without certificates and then throw an
     * ArrayIndexOutOfBoundsException when asked about it (found by fuzzing); a store without a
     * password is loaded without its integrity check, so such a file reaches the entries.
     */
    static MaterialException damaged(Path file, RuntimeException e) {
        return new MaterialException(file + ": damaged keystore (an entry cannot be read)", e);
    }

    private static String listed(List<String> aliases) {
        return aliases.isEmpty() ? " (the keystore has no key entries)"
                : " (aliases: " + String.join(", ", aliases) + ")";
    }
}
