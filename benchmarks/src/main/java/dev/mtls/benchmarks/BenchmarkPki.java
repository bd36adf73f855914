package dev.mtls.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmarks' throw-away PKI, generated on every run (never a checked-in key): one EC P-256
 * CA issuing client and server certificates, written as the agent reads them (PEM chain, PKCS#8
 * key) and as the JDK reads them (PKCS12), so that the agent and the baseline present the very
 * same key and chain.
 */
public final class BenchmarkPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKeys;
    private final X509Certificate ca;

    private BenchmarkPki(KeyPair caKeys, X509Certificate ca) {
        this.caKeys = caKeys;
        this.ca = ca;
    }

    public static BenchmarkPki create(String caName) throws GeneralSecurityException {
        KeyPair keys = ecKeyPair();
        X509Certificate ca = sign(new X500Name("CN=" + caName), keys, new X500Name("CN=" + caName), keys, true, null,
                null);
        return new BenchmarkPki(keys, ca);
    }

    public X509Certificate certificate() {
        return ca;
    }

    /** A leaf for TLS clients. */
    public Issued client(String commonName) throws GeneralSecurityException {
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
    }

    /** A leaf for TLS servers, valid for localhost and 127.0.0.1. */
    public Issued server(String commonName) throws GeneralSecurityException {
        GeneralNames names = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return issue(commonName, KeyPurposeId.id_kp_serverAuth, names);
    }

    private Issued issue(String commonName, KeyPurposeId purpose, GeneralNames names) throws GeneralSecurityException {
        KeyPair keys = ecKeyPair();
        X509Certificate leaf = sign(new X500Name("CN=" + commonName), keys, X500Name.getInstance(
                ca.getSubjectX500Principal().getEncoded()), caKeys, false, purpose, names);
        return new Issued(keys, List.of(leaf, ca));
    }

    /** The CA certificate as PEM, for servers that read PEM (openssl). */
    public Path writeCertificate(Path file) throws IOException, GeneralSecurityException {
        return pem(file, "CERTIFICATE", ca.getEncoded());
    }

    /** A truststore holding the CA alone. */
    public Path writeTrustStore(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        return store(store, file, password);
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            boolean ca, KeyPurposeId purpose, GeneralNames names) throws GeneralSecurityException {
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, subjectKeys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (names != null) {
                builder.addExtension(Extension.subjectAlternativeName, false, names);
            }
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static Path store(KeyStore store, Path file, String password) throws IOException,
            GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    static Path pem(Path file, String type, byte[]... ders) throws IOException {
        StringBuilder text = new StringBuilder();
        for (byte[] der : ders) {
            text.append("-----BEGIN ").append(type).append("-----\n")
                    .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der))
                    .append("\n-----END ").append(type).append("-----\n");
        }
        return Files.writeString(file, text, StandardCharsets.US_ASCII);
    }

    /** A key pair and its chain, leaf first. */
    public static final class Issued {
        public final KeyPair keys;
        public final List<X509Certificate> chain;

        Issued(KeyPair keys, List<X509Certificate> chain) {
            this.keys = keys;
            this.chain = chain;
        }

        public String subject() {
            return chain.get(0).getSubjectX500Principal().getName();
        }

        public Path writeChain(Path file) throws IOException, GeneralSecurityException {
            List<byte[]> ders = new ArrayList<>();
            for (X509Certificate certificate : chain) {
                ders.add(certificate.getEncoded());
            }
            return pem(file, "CERTIFICATE", ders.toArray(new byte[0][]));
        }

        /** Plain PKCS#8, readable by the owner only, as an operator keeps it. */
        public Path writeKey(Path file) throws IOException {
            Path key = pem(file, "PRIVATE KEY", keys.getPrivate().getEncoded());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            return key;
        }

        public KeyStore keyStore(String password) throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", keys.getPrivate(), password.toCharArray(), chain.toArray(new Certificate[0]));
            return store;
        }

        public Path writeKeyStore(Path file, String password) throws IOException, GeneralSecurityException {
            return store(keyStore(password), file, password);
        }
    }
}
