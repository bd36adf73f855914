package dev.mtls.material;

import dev.mtls.testing.SoftHsmToken;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SoftHSM2 tokens every provider test shares, made all at once on first use: SoftHSM2 lists
 * the tokens that exist when the library is first loaded in a JVM, so a token made after any test
 * loaded it would stay invisible. Each token serves one purpose; see the fields.
 */
public final class SoftHsmFixture {
    public static final String PIN = "token-pin-4821";

    public static final TestCertificate CA = TestPki.rootCa("Token Test CA").create();
    public static final TestCertificate RSA = TestPki.issuedBy(CA, "bot-rsa").keyType(TestPki.KeyType.RSA)
            .clientAuth().create();
    public static final TestCertificate EC = TestPki.issuedBy(CA, "bot-ec").keyType(TestPki.KeyType.EC).clientAuth()
            .create();

    public static final TestCertificate DOOMED = TestPki.issuedBy(CA, "bot-doomed").clientAuth().create();
    public static final TestCertificate SERVER = TestPki.issuedBy(CA, "server-gone").serverAuth().create();

    private static SoftHsmFixture instance;

    /** "bot-rsa" (ID 01) and "bot-ec" (ID 02): read, never changed. */
    public final SoftHsmToken token;
    /** "bot-ec": a token no test logs in to with the right PIN (SunPKCS11 keeps a login for good). */
    public final SoftHsmToken neverLoggedIn;
    /** "bot-ec": its certificate replaced by the material tests; "bot-doomed": its key deleted while in use. */
    public final SoftHsmToken renewing;
    /**
     * "bot-ec": its certificate replaced and deleted by the reload tests; "bot-gone" and the listener
     * identity "server-gone": their keys deleted by them.
     */
    public final SoftHsmToken reloading;

    private SoftHsmFixture(Path directory) {
        token = SoftHsmToken.create(directory, "mtls-unit", PIN).importIdentity("bot-rsa", "01", RSA)
                .importIdentity("bot-ec", "02", EC);
        neverLoggedIn = SoftHsmToken.create(directory, "mtls-wrong-pin", PIN).importIdentity("bot-ec", "02", EC);
        renewing = SoftHsmToken.create(directory, "mtls-renew", PIN).importIdentity("bot-ec", "02", EC)
                .importIdentity("bot-doomed", "05", DOOMED);
        reloading = SoftHsmToken.create(directory, "mtls-reload", PIN).importIdentity("bot-ec", "02", EC)
                .importIdentity("bot-gone", "06", DOOMED).importIdentity("server-gone", "07", SERVER);
    }

    /** The tokens; call only when {@link SoftHsmToken#available()}. */
    public static synchronized SoftHsmFixture get() {
        if (instance == null) {
            try {
                instance = new SoftHsmFixture(Files.createTempDirectory("mtls-softhsm-fixture"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** {@code identity}'s key with a new certificate: a renewal. */
    public static TestCertificate renewed(TestCertificate identity, String commonName) {
        return TestPki.issuedBy(CA, commonName).keyPair(identity.keyPair()).clientAuth().create();
    }
}
