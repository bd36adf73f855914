package dev.mtls.material;

import dev.mtls.profile.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.util.Arrays;
import java.util.Locale;

/** Opens PKCS12, JKS and JCEKS keystores, telling a wrong password apart from a damaged file. */
final class KeyStoreReader {
    private static final String SUPPORTED = "PKCS12, JKS or JCEKS";

    private KeyStoreReader() {
    }

    /**
     * {@code type} null: guessed from the file name, then from the content. {@code password} null
     * opens the store without checking its integrity, which PKCS12 and JKS allow for reading
     * certificates.
     */
    static KeyStore read(Path file, String type, Secret password) throws MaterialException {
        byte[] bytes = MaterialFile.read(file);
        String storeType = type != null ? type.trim().toUpperCase(Locale.ROOT) : guessType(file, bytes);
        KeyStore store;
        try {
            store = KeyStore.getInstance(storeType);
        } catch (KeyStoreException e) {
            throw new MaterialException(file + ": unknown keystore type '" + type + "' (use " + SUPPORTED + ")", e);
        }
        return load(file, store, bytes, password);
    }

    /** The same bytes read by another implementation of the type (Bouncy Castle's PKCS12). */
    static KeyStore readWith(Path file, String type, Provider provider, Secret password) throws MaterialException {
        try {
            return load(file, KeyStore.getInstance(type, provider), MaterialFile.read(file), password);
        } catch (KeyStoreException e) {
            throw new MaterialException(file + ": unknown keystore type '" + type + "'", e);
        }
    }

    private static KeyStore load(Path file, KeyStore store, byte[] bytes, Secret password)
            throws MaterialException {
        char[] chars = password == null ? null : password.chars();
        try {
            store.load(new ByteArrayInputStream(bytes), chars);
            return store;
        } catch (IOException e) {
            // Both the JDK's PKCS12 and JKS report a failed integrity check this way.
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new MaterialException(file + ": wrong store password", e);
            }
            throw new MaterialException(file + ": not a readable " + store.getType() + " keystore (damaged, or "
                    + "another format)", e);
        } catch (NoSuchAlgorithmException e) {
            throw new MaterialException(file + ": the keystore uses an algorithm this JVM does not support", e);
        } catch (CertificateException e) {
            throw new MaterialException(file + ": the keystore holds a certificate that cannot be read", e);
        } catch (RuntimeException e) {
            throw new MaterialException(file + ": not a readable " + store.getType() + " keystore", e);
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    static String guessType(Path file, byte[] bytes) throws MaterialException {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return "PKCS12";
        }
        if (name.endsWith(".jks")) {
            return "JKS";
        }
        if (name.endsWith(".jceks")) {
            return "JCEKS";
        }
        if (bytes.length == 0) {
            throw new MaterialException(file + ": empty file, not a keystore");
        }
        if (startsWith(bytes, 0xFE, 0xED, 0xFE, 0xED)) {
            return "JKS";
        }
        if (startsWith(bytes, 0xCE, 0xCE, 0xCE, 0xCE)) {
            return "JCEKS";
        }
        if (bytes[0] == 0x30) {
            // A DER SEQUENCE: the outer PFX structure of PKCS12.
            return "PKCS12";
        }
        if (new String(bytes, StandardCharsets.ISO_8859_1).contains("-----BEGIN ")) {
            throw new MaterialException(file + ": a PEM file, not a keystore (name PEM files as certificate "
                    + "and key, or as trust certificates)");
        }
        throw new MaterialException(file + ": not a " + SUPPORTED + " keystore");
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
