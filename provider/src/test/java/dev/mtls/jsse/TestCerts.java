package dev.mtls.jsse;

import dev.mtls.material.Identity;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki.KeyType;
import dev.mtls.testing.TestPki;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** One PKI for all JSSE tests, generated once per test JVM (RSA keys are slow to make). */
public final class TestCerts {
    public static final TestCertificate SERVER_CA = TestPki.rootCa("Server CA").create();
    public static final TestCertificate SERVER = SERVER_CA.issueLocalhostServer();
    /** A server the profile CAs do not know. */
    public static final TestCertificate OTHER_CA = TestPki.rootCa("Other CA").create();
    public static final TestCertificate OTHER_SERVER = OTHER_CA.issueLocalhostServer();
    /** Issued by the trusted server CA, but for another name. */
    public static final TestCertificate WRONG_NAME_SERVER =
            SERVER_CA.issue("wrong.example").serverAuth().dns("wrong.example").create();

    public static final TestCertificate CLIENT_CA = TestPki.rootCa("Profile Client CA").create();
    public static final TestCertificate PROFILE_EC = CLIENT_CA.issue("payments-ec").clientAuth().create();
    public static final TestCertificate PROFILE_RSA =
            CLIENT_CA.issue("payments-rsa").keyType(KeyType.RSA).clientAuth().create();
    public static final TestCertificate NEW_PROFILE_EC = CLIENT_CA.issue("payments-renewed").clientAuth().create();
    /** The application's own client certificate, from its own key manager. */
    public static final TestCertificate APP_CLIENT = CLIENT_CA.issue("app-own").clientAuth().create();

    private TestCerts() {
    }

    /** The pin of a certificate's key as profiles write it: {@code sha256/} and the base64 SHA-256 of its SPKI. */
    public static String pin(X509Certificate certificate) throws GeneralSecurityException {
        return "sha256/" + Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    public static Identity identity(TestCertificate certificate) {
        return new Identity(certificate.privateKey(), certificate.chain());
    }
}
