package dev.mtls.listen;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.profile.AllowEntry;
import dev.mtls.profile.AllowEntry.Kind;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AllowListTest {
    private static TestCertificate ca;
    private static X509Certificate bot;

    @BeforeAll
    static void makeCertificates() {
        ca = TestPki.rootCa("Allow CA").create();
        bot = ca.issue("bot").subject("CN=bot-client,OU=Bots,O=acme").clientAuth().dns("worker-1.bots.example.com")
                .uri("spiffe://example.org/bots/worker-1").ip("10.1.2.3", "2001:db8::7").create().certificate();
    }

    private static boolean allows(Kind kind, String pattern) {
        return AllowList.allows(List.of(new AllowEntry(kind, pattern)), bot);
    }

    @Test
    void anEmptyListAllowsEveryCertificate() {
        assertTrue(AllowList.allows(List.of(), bot));
    }

    @Test
    void subjectComparesAsDistinguishedNamesNotAsText() {
        assertTrue(allows(Kind.SUBJECT, "cn=bot-client, ou=Bots, o=acme"));
        assertTrue(allows(Kind.SUBJECT, "CN=Bot-Client,OU=bots,O=ACME"));
        assertFalse(allows(Kind.SUBJECT, "CN=bot-client,O=acme"), "an attribute missing is another name");
        assertFalse(allows(Kind.SUBJECT, "OU=Bots,CN=bot-client,O=acme"), "order matters in a DN");
    }

    @Test
    void dnsFollowsTheWildcardRulesOfHostPatterns() {
        assertTrue(allows(Kind.DNS, "worker-1.bots.example.com"));
        assertTrue(allows(Kind.DNS, "*.bots.example.com"));
        assertTrue(allows(Kind.DNS, "*.example.com"));
        assertFalse(allows(Kind.DNS, "*.other.example.com"));
        assertFalse(allows(Kind.DNS, "bots.example.com"));
    }

    @Test
    void uriMatchesExactlyOrByThePrefixBeforeATrailingStar() {
        assertTrue(allows(Kind.URI, "spiffe://example.org/bots/worker-1"));
        assertTrue(allows(Kind.URI, "spiffe://example.org/bots/*"));
        assertFalse(allows(Kind.URI, "spiffe://example.org/bots"));
        assertFalse(allows(Kind.URI, "spiffe://example.org/admins/*"));
    }

    @Test
    void ipComparesAddressesInCanonicalForm() {
        assertTrue(allows(Kind.IP, "10.1.2.3"));
        assertTrue(allows(Kind.IP, "2001:0db8:0:0:0:0:0:7"));
        assertFalse(allows(Kind.IP, "10.1.2.4"));
    }

    @Test
    void oneMatchingEntryAmongSeveralIsEnough() {
        assertTrue(AllowList.allows(List.of(new AllowEntry(Kind.SUBJECT, "CN=someone-else"),
                new AllowEntry(Kind.URI, "spiffe://example.org/bots/*")), bot));
    }

    @Test
    void aCertificateWithoutAlternativeNamesMatchesNoNameEntry() {
        X509Certificate plain = ca.issue("plain").clientAuth().create().certificate();
        assertFalse(AllowList.allows(List.of(new AllowEntry(Kind.DNS, "*.example.com")), plain));
        assertTrue(AllowList.allows(List.of(new AllowEntry(Kind.SUBJECT, "CN=plain")), plain));
    }

    @Test
    void anEntryThatDoesNotParseMatchesNothing() {
        assertFalse(allows(Kind.SUBJECT, "not a distinguished name ==="));
        assertFalse(allows(Kind.IP, "10.1.2"));
    }
}
