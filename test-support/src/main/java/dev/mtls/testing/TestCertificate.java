package dev.mtls.testing;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A key pair, its certificate and the certificate that issued it, made by {@link TestPki}. The
 * {@code write...} methods put it into files in the formats operators hand to the agent and
 * return the file they wrote.
 */
public final class TestCertificate {
    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final TestCertificate issuer;

    TestCertificate(KeyPair keyPair, X509Certificate certificate, TestCertificate issuer) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.issuer = issuer;
    }

    /** Starts a certificate signed by this one. */
    public TestPki issue(String commonName) {
        return TestPki.issuedBy(this, commonName);
    }

    /**
     * Issues the certificate of a test server on this machine: CN=localhost, names localhost and
     * 127.0.0.1, extended key usage serverAuth.
     */
    public TestCertificate issueLocalhostServer() {
        return issue("localhost").serverAuth().dns("localhost").ip("127.0.0.1").create();
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PrivateKey privateKey() {
        return keyPair.getPrivate();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The issuing certificate, null for a root. */
    public TestCertificate issuer() {
        return issuer;
    }

    /** The self-signed certificate at the top of this one's path (itself for a root). */
    public X509Certificate root() {
        return issuer == null ? certificate : issuer.root();
    }

    /** RFC 2253 subject, e.g. "CN=client,O=Acme". */
    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** This certificate, then its intermediates; the root is left out, as servers send it. */
    public List<X509Certificate> chain() {
        List<X509Certificate> chain = new ArrayList<>();
        for (TestCertificate next = this; next != null && next.issuer != null; next = next.issuer) {
            chain.add(next.certificate);
        }
        if (chain.isEmpty()) {
            chain.add(certificate);
        }
        return Collections.unmodifiableList(chain);
    }

    public Path writeCertificate(Path file) {
        return TestPki.writePem(file, certificate);
    }

    /** {@link #chain()} as PEM, leaf first. */
    public Path writeChain(Path file) {
        return TestPki.writePem(file, chain());
    }

    /** "PRIVATE KEY", for every key type (Ed25519 keys exist only in this form). */
    public Path writePkcs8Key(Path file) {
        return writePkcs8(file, null);
    }

    /** "ENCRYPTED PRIVATE KEY": PBES2, PBKDF2 with HMAC-SHA256, AES-256-CBC. */
    public Path writeEncryptedPkcs8Key(Path file, String password) {
        try {
            OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256).setProvider(TestPki.BC)
                    .setPassword(password.toCharArray()).build();
            return writePkcs8(file, encryptor);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "RSA PRIVATE KEY" (PKCS#1). */
    public Path writePkcs1Key(Path file) {
        requireAlgorithm("RSA");
        return writeTraditional(file, null, false);
    }

    /** "RSA PRIVATE KEY" with OpenSSL's legacy Proc-Type/DEK-Info encryption (AES-256-CBC). */
    public Path writeEncryptedPkcs1Key(Path file, String password) {
        requireAlgorithm("RSA");
        return writeTraditional(file, legacyEncryptor(password), false);
    }

    /** "EC PRIVATE KEY" (SEC1). */
    public Path writeSec1Key(Path file) {
        requireAlgorithm("EC");
        return writeTraditional(file, null, false);
    }

    /** "EC PARAMETERS" then "EC PRIVATE KEY", as {@code openssl ecparam -genkey} writes it. */
    public Path writeSec1KeyWithParameters(Path file) {
        requireAlgorithm("EC");
        return writeTraditional(file, null, true);
    }

    /** "EC PRIVATE KEY" with OpenSSL's legacy Proc-Type/DEK-Info encryption (AES-256-CBC). */
    public Path writeEncryptedSec1Key(Path file, String password) {
        requireAlgorithm("EC");
        return writeTraditional(file, legacyEncryptor(password), false);
    }

    /** A PKCS12 or JKS store with one key entry: this key and {@link #chain()}. */
    public Path writeKeyStore(Path file, String type, String storePassword, String keyPassword, String alias) {
        return TestPki.writeKeyStore(file, type, storePassword, keyPassword, Map.of(alias, this));
    }

    /** The same store in memory, e.g. for a test server's KeyManagerFactory. */
    public KeyStore keyStore(String type, String keyPassword, String alias) {
        KeyStore store = TestPki.emptyKeyStore(type);
        try {
            store.setKeyEntry(alias, privateKey(), keyPassword.toCharArray(), chain().toArray(new X509Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }

    @Override
    public String toString() {
        return subject();
    }

    private Path writePkcs8(Path file, OutputEncryptor encryptor) {
        try {
            return writePem(file, new JcaPKCS8Generator(privateKey(), encryptor).generate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path writeTraditional(Path file, PEMEncryptor encryptor, boolean withParameters) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey().getEncoded());
            ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
            if (withParameters) {
                pem.writeObject(new PemObject("EC PARAMETERS", curve.toASN1Primitive().getEncoded()));
            }
            boolean rsa = privateKey().getAlgorithm().equals("RSA");
            byte[] der = rsa ? info.parsePrivateKey().toASN1Primitive().getEncoded() : sec1(curve);
            String type = rsa ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
            if (encryptor == null) {
                pem.writeObject(new PemObject(type, der));
            } else {
                List<PemHeader> headers = List.of(new PemHeader("Proc-Type", "4,ENCRYPTED"),
                        new PemHeader("DEK-Info", encryptor.getAlgorithm() + ","
                                + Hex.toHexString(encryptor.getIV()).toUpperCase(Locale.ROOT)));
                pem.writeObject(new PemObject(type, headers, encryptor.encrypt(der)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * SEC1 with the curve and public key inside, as OpenSSL writes it; the JDK's PKCS#8 encoding
     * leaves both out of its inner structure and OpenSSL then refuses the key.
     */
    private byte[] sec1(ASN1Encodable curve) throws IOException {
        ECPrivateKey key = (ECPrivateKey) privateKey();
        ASN1BitString point = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded()).getPublicKeyData();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(), point,
                curve).getEncoded();
    }

    private static Path writePem(Path file, PemObject object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
        return file;
    }

    private static PEMEncryptor legacyEncryptor(String password) {
        return new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(TestPki.BC).build(password.toCharArray());
    }

    private void requireAlgorithm(String algorithm) {
        if (!privateKey().getAlgorithm().equals(algorithm)) {
            throw new IllegalStateException("this format needs an " + algorithm + " key, not "
                    + privateKey().getAlgorithm());
        }
    }
}
