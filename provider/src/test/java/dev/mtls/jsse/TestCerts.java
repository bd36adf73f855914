package dev.mtls.jsse;

import dev.mtls.material.Identity;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import dev.mtls.testing.TestPki.KeyType;

/** One PKI for all JSSE tests, generated once per test JVM (RSA keys are slow to make). */
final class TestCerts {
    static final TestCertificate SERVER_CA = TestPki.rootCa("Server CA").create();
    static final TestCertificate SERVER =
            SERVER_CA.issue("localhost").serverAuth().dns("localhost").ip("127.0.0.1").create();
    /** A server the profile CAs do not know. */
    static final TestCertificate OTHER_CA = TestPki.rootCa("Other CA").create();
    static final TestCertificate OTHER_SERVER =
            OTHER_CA.issue("localhost").serverAuth().dns("localhost").ip("127.0.0.1").create();
    /** Issued by the trusted server CA, but for another name. */
    static final TestCertificate WRONG_NAME_SERVER =
            SERVER_CA.issue("wrong.example").serverAuth().dns("wrong.example").create();

    static final TestCertificate CLIENT_CA = TestPki.rootCa("Profile Client CA").create();
    static final TestCertificate PROFILE_EC = CLIENT_CA.issue("payments-ec").clientAuth().create();
    static final TestCertificate PROFILE_RSA =
            CLIENT_CA.issue("payments-rsa").keyType(KeyType.RSA).clientAuth().create();
    static final TestCertificate NEW_PROFILE_EC = CLIENT_CA.issue("payments-renewed").clientAuth().create();
    /** The application's own client certificate, from its own key manager. */
    static final TestCertificate APP_CLIENT = CLIENT_CA.issue("app-own").clientAuth().create();

    private TestCerts() {
    }

    static Identity identity(TestCertificate certificate) {
        return new Identity(certificate.privateKey(), certificate.chain());
    }
}
