package dev.mtls.material;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** Certificate names as every output shows them: RFC 2253, escaped for one line. */
class NamesTest {
    @Test
    void subjectAndIssuerAreWrittenInRfc2253AsListenerAllowEntriesAre() {
        TestCertificate ca = TestPki.rootCa("Acme Client CA").subject("CN=Acme Client CA, O=acme").create();
        TestCertificate client = ca.issue("bot-client").subject("CN=bot-client, O=acme").clientAuth().create();

        assertThat(Names.subject(client.certificate())).isEqualTo("CN=bot-client,O=acme");
        assertThat(Names.issuer(client.certificate())).isEqualTo("CN=Acme Client CA,O=acme");
    }

    @Test
    void controlCharactersInANameCannotForgeALine() {
        X500Principal name = new X500Principal("CN=evil\nerror: forged,O=acme");

        assertThat(Names.of(name)).isEqualTo("CN=evil\\nerror: forged,O=acme").doesNotContain("\n");
    }
}
