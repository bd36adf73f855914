package dev.mtls.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Builds test PKI at test time, so no private key is ever checked in. One instance describes one
 * certificate to issue; {@link #create()} issues it.
 *
 * <pre>{@code
 * TestCertificate root = TestPki.rootCa("Test Root").keyType(KeyType.RSA).create();
 * TestCertificate intermediate = root.issue("Test Intermediate").ca().create();
 * TestCertificate client = intermediate.issue("client").clientAuth().create();
 * TestCertificate server = root.issue("localhost").serverAuth().dns("localhost").ip("127.0.0.1").create();
 * client.writeChain(dir.resolve("chain.pem"));
 * client.writeEncryptedPkcs8Key(dir.resolve("client.key"), "secret");
 * }</pre>
 *
 * <p>Defaults: EC P-256 keys, valid from one hour ago for one year, subject {@code CN=<name>}, a
 * leaf gets key usage digitalSignature (plus keyEncipherment for RSA) and no extended key usage.
 * Free of JUnit: the benchmark harness uses it outside any test.
 */
public final class TestPki {
    public enum KeyType { RSA, EC, ED25519 }

    public static final String CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();
    public static final String SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
    public static final String CODE_SIGNING = KeyPurposeId.id_kp_codeSigning.getId();
    public static final String ANY_EXTENDED_KEY_USAGE = KeyPurposeId.anyExtendedKeyUsage.getId();
    public static final String OCSP_SIGNING = KeyPurposeId.id_kp_OCSPSigning.getId();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
    /** Only where the running JDK lacks an algorithm (Ed25519 before JDK 15); never installed. */
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    /** Oracle's bag attribute that makes the JDK list a PKCS12 certificate bag as a trusted entry. */
    private static final ASN1ObjectIdentifier JAVA_TRUSTED_KEY_USAGE =
            new ASN1ObjectIdentifier("2.16.840.1.113894.746875.1.1");

    private final TestCertificate issuer;
    private String subject;
    private KeyType keyType = KeyType.EC;
    private int rsaKeySize = 2048;
    private String ecCurve = "secp256r1";
    private KeyPair reusedKeyPair;
    private boolean ca;
    private final List<String> extendedKeyUsages = new ArrayList<>();
    private List<String> keyUsages;
    private final List<GeneralName> alternativeNames = new ArrayList<>();
    private String ocspResponder;
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(365));

    private TestPki(TestCertificate issuer, String commonName) {
        this.issuer = issuer;
        this.subject = "CN=" + commonName;
    }

    /** A self-signed CA. */
    public static TestPki rootCa(String commonName) {
        return new TestPki(null, commonName).ca();
    }

    /** A certificate signed by {@code issuer}; same as {@code issuer.issue(commonName)}. */
    public static TestPki issuedBy(TestCertificate issuer, String commonName) {
        return new TestPki(issuer, commonName);
    }

    /** Replaces the default {@code CN=<name>} with a full distinguished name, e.g. "CN=client, O=Acme". */
    public TestPki subject(String distinguishedName) {
        this.subject = new X500Principal(distinguishedName).getName();
        return this;
    }

    /** Certifies this existing key instead of a new one: a renewal, the key unchanged. */
    public TestPki keyPair(KeyPair existing) {
        this.reusedKeyPair = existing;
        return this;
    }

    public TestPki keyType(KeyType type) {
        this.keyType = type;
        return this;
    }

    /**
     * An RSA key of this many bits instead of 2048, e.g. 768 for a key the JDK's algorithm
     * constraints refuse. Implies {@link KeyType#RSA}.
     */
    public TestPki rsaKeySize(int bits) {
        this.keyType = KeyType.RSA;
        this.rsaKeySize = bits;
        return this;
    }

    /** An EC key on this named curve instead of P-256 ("secp384r1", "secp521r1"). Implies {@link KeyType#EC}. */
    public TestPki ecCurve(String curve) {
        this.keyType = KeyType.EC;
        this.ecCurve = curve;
        return this;
    }

    /** Basic constraints CA, key usage keyCertSign and cRLSign. */
    public TestPki ca() {
        this.ca = true;
        return this;
    }

    public TestPki clientAuth() {
        return extendedKeyUsage(CLIENT_AUTH);
    }

    public TestPki serverAuth() {
        return extendedKeyUsage(SERVER_AUTH);
    }

    /** Adds extended key usage OIDs, e.g. {@link #CODE_SIGNING} for a wrong one. */
    public TestPki extendedKeyUsage(String... oids) {
        extendedKeyUsages.addAll(List.of(oids));
        return this;
    }

    /**
     * Replaces the default key usage: names from RFC 5280 ("digitalSignature", "keyEncipherment",
     * "keyAgreement", "keyCertSign", "cRLSign"); no names leaves the extension out.
     */
    public TestPki keyUsage(String... names) {
        this.keyUsages = List.of(names);
        return this;
    }

    public TestPki dns(String... names) {
        for (String name : names) {
            alternativeNames.add(new GeneralName(GeneralName.dNSName, name));
        }
        return this;
    }

    public TestPki ip(String... addresses) {
        for (String address : addresses) {
            alternativeNames.add(new GeneralName(GeneralName.iPAddress, address));
        }
        return this;
    }

    /** URI subject alternative names (SPIFFE IDs are URIs). */
    public TestPki uri(String... uris) {
        for (String uri : uris) {
            alternativeNames.add(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
        }
        return this;
    }

    /** An Authority Information Access extension naming this OCSP responder (any scheme, as written). */
    public TestPki ocspResponder(String url) {
        this.ocspResponder = url;
        return this;
    }

    public TestPki validity(Instant notBefore, Instant notAfter) {
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    public TestPki expired() {
        Instant now = Instant.now();
        return validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    }

    public TestPki notYetValid() {
        Instant now = Instant.now();
        return validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)));
    }

    public TestCertificate create() {
        try {
            KeyPair keyPair = reusedKeyPair != null ? reusedKeyPair : generateKeyPair(keyType, rsaKeySize, ecCurve);
            X500Principal subjectName = new X500Principal(subject);
            X500Principal issuerName = issuer == null ? subjectName
                    : issuer.certificate().getSubjectX500Principal();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    subjectName, keyPair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(
                    issuer == null ? keyPair.getPublic() : issuer.certificate().getPublicKey()));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            List<String> usages = keyUsages != null ? keyUsages
                    : ca ? List.of("keyCertSign", "cRLSign", "digitalSignature")
                    : keyType == KeyType.RSA ? List.of("digitalSignature", "keyEncipherment")
                    : List.of("digitalSignature");
            if (!usages.isEmpty()) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageBits(usages)));
            }
            if (!extendedKeyUsages.isEmpty()) {
                KeyPurposeId[] purposes = extendedKeyUsages.stream()
                        .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                        .toArray(KeyPurposeId[]::new);
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            }
            if (!alternativeNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(alternativeNames.toArray(new GeneralName[0])));
            }
            if (ocspResponder != null) {
                builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        AccessDescription.id_ad_ocsp,
                        new GeneralName(GeneralName.uniformResourceIdentifier, ocspResponder)));
            }
            KeyPair signer = issuer == null ? keyPair : issuer.keyPair();
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(contentSigner(signer)));
            return new TestCertificate(keyPair, certificate, issuer);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot create test certificate " + subject, e);
        }
    }

    /** Writes certificates as PEM in the order given: a CA bundle, or a chain in any order. */
    public static Path writePem(Path file, X509Certificate... certificates) {
        return writePem(file, List.of(certificates));
    }

    public static Path writePem(Path file, List<X509Certificate> certificates) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate certificate : certificates) {
                pem.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    /**
     * Makes {@code file} readable and writable by its owner only, as an operator keeps a key (a key
     * readable by others earns the agent's warning, which is not what most tests look at).
     */
    public static Path ownerOnly(Path file) {
        try {
            return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A keystore holding several key entries (alias to identity), all with the same key password. */
    public static Path writeKeyStore(Path file, String type, String storePassword, String keyPassword,
            Map<String, TestCertificate> entries) {
        KeyStore store = emptyKeyStore(type);
        try {
            for (Map.Entry<String, TestCertificate> entry : entries.entrySet()) {
                TestCertificate identity = entry.getValue();
                store.setKeyEntry(entry.getKey(), identity.privateKey(), keyPassword.toCharArray(),
                        identity.chain().toArray(new X509Certificate[0]));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return store(store, file, storePassword);
    }

    /**
     * A truststore holding only certificate entries (aliases "ca-0", "ca-1", ...). A null
     * password writes a PKCS12 store without integrity or certificate protection, readable with
     * no password at all.
     */
    public static Path writeTrustStore(Path file, String type, String storePassword,
            X509Certificate... certificates) {
        if (storePassword == null && type.equalsIgnoreCase("PKCS12")) {
            // The JDK's KeyStore.store(out, null) still encrypts with an empty password.
            return writePfx(file, null, true, certificates);
        }
        // JKS cannot store without a password; read back with none, it skips the integrity check.
        return store(trustStore(type, certificates), file, storePassword == null ? "" : storePassword);
    }

    /**
     * A PKCS12 truststore as {@code openssl pkcs12 -export -nokeys} writes it: certificate bags
     * without Java's trusted-certificate attribute, so the JDK's own PKCS12 KeyStore lists none.
     */
    public static Path writeOpenSslTrustStore(Path file, String storePassword, X509Certificate... certificates) {
        return writePfx(file, storePassword, false, certificates);
    }

    private static Path writePfx(Path file, String password, boolean javaTrusted, X509Certificate... certificates) {
        try {
            PKCS12SafeBag[] bags = new PKCS12SafeBag[certificates.length];
            for (int i = 0; i < certificates.length; i++) {
                PKCS12SafeBagBuilder bag = new JcaPKCS12SafeBagBuilder(certificates[i]);
                bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString("ca-" + i));
                if (javaTrusted) {
                    bag.addBagAttribute(JAVA_TRUSTED_KEY_USAGE, KeyPurposeId.anyExtendedKeyUsage.toOID());
                }
                bags[i] = bag.build();
            }
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            PKCS12PfxPdu pdu;
            if (password == null) {
                for (PKCS12SafeBag bag : bags) {
                    pfx.addData(bag);
                }
                pdu = pfx.build(null, null);
            } else {
                pfx.addEncryptedData(new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                        .setProvider(BC).build(password.toCharArray()), bags);
                pdu = pfx.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256)
                        .setProvider(BC), password.toCharArray());
            }
            Files.write(file, pdu.getEncoded());
            return file;
        } catch (IOException | PKCSException
                | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
    }

    public static KeyStore trustStore(String type, X509Certificate... certificates) {
        KeyStore store = emptyKeyStore(type);
        try {
            for (int i = 0; i < certificates.length; i++) {
                store.setCertificateEntry("ca-" + i, certificates[i]);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }

    static KeyStore emptyKeyStore(String type) {
        try {
            KeyStore store = KeyStore.getInstance(type);
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a " + type + " keystore", e);
        }
    }

    static Path store(KeyStore store, Path file, String storePassword) {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, storePassword == null ? null : storePassword.toCharArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    private static KeyPair generateKeyPair(KeyType type, int rsaKeySize, String ecCurve) throws GeneralSecurityException {
        switch (type) {
            case RSA:
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(rsaKeySize, RANDOM);
                return rsa.generateKeyPair();
            case EC:
                KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                ec.initialize(new ECGenParameterSpec(ecCurve), RANDOM);
                return ec.generateKeyPair();
            case ED25519:
                try {
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                } catch (NoSuchAlgorithmException beforeJdk15) {
                    return KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
                }
            default:
                throw new IllegalArgumentException(String.valueOf(type));
        }
    }

    static ContentSigner contentSigner(KeyPair signer) throws org.bouncycastle.operator.OperatorCreationException {
        String algorithm = signer.getPrivate().getAlgorithm();
        String signatureAlgorithm = algorithm.equals("RSA") ? "SHA256withRSA"
                : algorithm.equals("EC") || algorithm.equals("ECDSA") ? "SHA256withECDSA"
                : "Ed25519";
        JcaContentSignerBuilder builder = new JcaContentSignerBuilder(signatureAlgorithm);
        try {
            return builder.build(signer.getPrivate());
        } catch (org.bouncycastle.operator.OperatorCreationException beforeJdk15) {
            return builder.setProvider(BC).build(signer.getPrivate());
        }
    }

    private static int keyUsageBits(List<String> names) {
        int bits = 0;
        for (String name : names) {
            switch (name) {
                case "digitalSignature": bits |= KeyUsage.digitalSignature; break;
                case "nonRepudiation": bits |= KeyUsage.nonRepudiation; break;
                case "keyEncipherment": bits |= KeyUsage.keyEncipherment; break;
                case "dataEncipherment": bits |= KeyUsage.dataEncipherment; break;
                case "keyAgreement": bits |= KeyUsage.keyAgreement; break;
                case "keyCertSign": bits |= KeyUsage.keyCertSign; break;
                case "cRLSign": bits |= KeyUsage.cRLSign; break;
                default: throw new IllegalArgumentException("unknown key usage " + name);
            }
        }
        return bits;
    }
}
