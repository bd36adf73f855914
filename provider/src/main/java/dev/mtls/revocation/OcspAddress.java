package dev.mtls.revocation;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

/** The OCSP responder a certificate names in its Authority Information Access extension. */
final class OcspAddress {
    private OcspAddress() {
    }

    /** The first OCSP access location that is a URI (http or not: the caller says why it will not ask others), or null. */
    static URI of(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return null;
        }
        AuthorityInformationAccess access;
        try {
            access = AuthorityInformationAccess.getInstance(ASN1OctetString.getInstance(extension).getOctets());
        } catch (RuntimeException e) {
            return null;
        }
        URI other = null;
        for (AccessDescription description : access.getAccessDescriptions()) {
            GeneralName location = description.getAccessLocation();
            if (!AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())
                    || location.getTagNo() != GeneralName.uniformResourceIdentifier) {
                continue;
            }
            try {
                URI uri = new URI(ASN1IA5String.getInstance(location.getName()).getString());
                if ("http".equalsIgnoreCase(uri.getScheme())) {
                    return uri;
                }
                other = other == null ? uri : other;
            } catch (URISyntaxException | RuntimeException e) {
                // Not a usable address; another entry may be.
            }
        }
        return other;
    }
}
