package dev.mtls.material;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one text per expiry state that check, probe, the log and JMX all show. */
class ValidityTest {
    static final TestCertificate CA = TestPki.rootCa("Validity Test CA").create();
    static final Duration WARNING = Duration.ofDays(14);

    @Test
    void certificateFarFromExpiryIsValidUntilItsNotAfter() {
        X509Certificate certificate = issue(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));
        Instant notAfter = certificate.getNotAfter().toInstant();

        Validity validity = Validity.of(certificate, Instant.now(), WARNING);

        assertThat(validity.text()).isEqualTo("valid until " + notAfter);
        assertThat(validity.sentence()).isEqualTo("certificate CN=client,O=Acme is valid until " + notAfter);
        assertThat(validity.usable()).isTrue();
    }

    @Test
    void certificateWithinTheWarningExpiresInWholeDays() {
        Instant now = Instant.now();
        X509Certificate certificate = issue(now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(1)).plusSeconds(3600));
        Instant notAfter = certificate.getNotAfter().toInstant();

        Validity validity = Validity.of(certificate, now, WARNING);

        assertThat(validity.text()).isEqualTo("expires on " + notAfter + " (in 1 day)");
        assertThat(validity.sentence()).isEqualTo("certificate CN=client,O=Acme expires on " + notAfter + " (in 1 day)");
        assertThat(validity.usable()).isTrue();
    }

    @Test
    void expiredCertificateSaysSinceWhenAndCannotBeUsed() {
        X509Certificate certificate = CA.issue("client").subject("CN=client, O=Acme").expired().create().certificate();
        Instant notAfter = certificate.getNotAfter().toInstant();

        Validity validity = Validity.of(certificate, Instant.now(), WARNING);

        assertThat(validity.sentence()).isEqualTo("certificate CN=client,O=Acme expired on " + notAfter);
        assertThat(validity.usable()).isFalse();
    }

    @Test
    void certificateNotYetValidSaysFromWhenAndCannotBeUsed() {
        X509Certificate certificate = CA.issue("client").subject("CN=client, O=Acme").notYetValid().create()
                .certificate();
        Instant notBefore = certificate.getNotBefore().toInstant();

        Validity validity = Validity.of(certificate, Instant.now(), WARNING);

        assertThat(validity.sentence()).isEqualTo("certificate CN=client,O=Acme is not valid before " + notBefore);
        assertThat(validity.usable()).isFalse();
    }

    @Test
    void warningLongerThanAnInstantCanHoldStillWarns() {
        X509Certificate certificate = issue(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)));

        Validity validity = Validity.of(certificate, Instant.now(), Duration.ofSeconds(Long.MAX_VALUE));

        assertThat(validity.text()).startsWith("expires on ");
    }

    private static X509Certificate issue(Instant notBefore, Instant notAfter) {
        return CA.issue("client").subject("CN=client, O=Acme").validity(notBefore, notAfter).create().certificate();
    }
}
