package dev.mtls.revocation;

import java.io.IOException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * OCSP requests and responses with Bouncy Castle's classes (no hand-written cryptography): the
 * request for one certificate (with a nonce), and the checks before a response counts: a
 * successful response, a single response for this certificate (issuer hashes and serial, in any
 * hash algorithm the responder chose), signed by the issuer itself or by a delegated responder
 * certificate that the issuer signed with id-kp-OCSPSigning and that is valid now, a nonce equal to
 * ours when it echoes one, and thisUpdate/nextUpdate around now within {@link #CLOCK_SKEW}.
 */
final class OcspResponses {
    /** Clocks of the responder and of this host may differ by this much. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * How long a response without nextUpdate may be used after its thisUpdate (RFC 6960: newer
     * information is always available, so it is kept only briefly, and refreshed ahead of that).
     */
    static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(5);

    private static final SecureRandom NONCES = new SecureRandom();
    private static final String[] REASONS = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
        "superseded", "cessationOfOperation", "certificateHold", "7", "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};

    private OcspResponses() {
    }

    /** A response that does not count, with the reason in a few words. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A DER OCSP request for one certificate, and the nonce extension value a response must echo if it echoes one. */
    static final class Request {
        final byte[] der;
        final byte[] nonce;

        private Request(byte[] der, byte[] nonce) {
            this.der = der;
            this.nonce = nonce;
        }
    }

    static Request request(X509Certificate certificate, X509Certificate issuer) throws Unusable {
        try {
            CertificateID id = new CertificateID(digests().get(CertificateID.HASH_SHA1), holder(issuer),
                    certificate.getSerialNumber());
            byte[] random = new byte[16];
            NONCES.nextBytes(random);
            byte[] nonce = new DEROctetString(random).getEncoded();
            Extension extension = new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce);
            byte[] der = new OCSPReqBuilder().addRequest(id).setRequestExtensions(new Extensions(extension)).build()
                    .getEncoded();
            return new Request(der, nonce);
        } catch (OCSPException | OperatorCreationException | IOException e) {
            throw new Unusable("cannot build the request: " + e.getMessage());
        }
    }

    /**
     * @param nonce the nonce extension value of our request, or null for a stapled response
     * @param now when the response is used (its dates are checked against it)
     */
    static OcspAnswer read(byte[] der, X509Certificate certificate, X509Certificate issuer, byte[] nonce, Instant now)
            throws Unusable {
        BasicOCSPResp basic = basic(der);
        X509CertificateHolder issuerHolder = holder(issuer);
        SingleResp single = singleFor(basic, certificate, issuerHolder);
        verifySignature(basic, issuer, issuerHolder, now);
        if (nonce != null) {
            Extension echoed = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            // Responders that pre-sign their answers (most large CAs) echo no nonce; RFC 8954 allows it.
            if (echoed != null && !Arrays.equals(echoed.getExtnValue().getOctets(), nonce)) {
                throw new Unusable("the response's nonce is not the request's (a replayed response?)");
            }
        }
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() != null ? single.getNextUpdate().toInstant() : null;
        if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
            throw new Unusable("the response's thisUpdate " + thisUpdate + " is in the future");
        }
        Instant validUntil = nextUpdate != null ? nextUpdate : thisUpdate.plus(DEFAULT_VALIDITY);
        if (now.isAfter(validUntil.plus(CLOCK_SKEW))) {
            throw new Unusable("the response is stale (" + (nextUpdate != null ? "nextUpdate " + nextUpdate
                    : "thisUpdate " + thisUpdate + " and no nextUpdate") + ")");
        }
        Instant received = thisUpdate.isAfter(now) ? now : thisUpdate;
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new OcspAnswer(Status.State.GOOD, "", received, validUntil);
        }
        if (status instanceof RevokedStatus) {
            RevokedStatus revoked = (RevokedStatus) status;
            String detail = "revoked at " + revoked.getRevocationTime().toInstant();
            if (revoked.hasRevocationReason()) {
                detail += ", reason " + reason(revoked.getRevocationReason());
            }
            return new OcspAnswer(Status.State.REVOKED, detail, received, validUntil);
        }
        String detail = status instanceof UnknownStatus ? "the responder does not know the certificate"
                : "the responder gave an unrecognised status";
        return new OcspAnswer(Status.State.UNKNOWN, detail, received, validUntil);
    }

    private static BasicOCSPResp basic(byte[] der) throws Unusable {
        OCSPResp response;
        try {
            response = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            throw new Unusable("not an OCSP response (" + e.getMessage() + ")");
        }
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            throw new Unusable("the responder answered " + responseStatus(response.getStatus()));
        }
        try {
            Object object = response.getResponseObject();
            if (object instanceof BasicOCSPResp) {
                return (BasicOCSPResp) object;
            }
        } catch (OCSPException | RuntimeException e) {
            throw new Unusable("a malformed OCSP response (" + e.getMessage() + ")");
        }
        throw new Unusable("not a basic OCSP response");
    }

    private static SingleResp singleFor(BasicOCSPResp basic, X509Certificate certificate,
            X509CertificateHolder issuer) throws Unusable {
        DigestCalculatorProvider digests = digests();
        for (SingleResp single : basic.getResponses()) {
            CertificateID id = single.getCertID();
            try {
                if (id.getSerialNumber().equals(certificate.getSerialNumber()) && id.matchesIssuer(issuer, digests)) {
                    return single;
                }
            } catch (OCSPException e) {
                // A hash algorithm this JVM lacks: not a match we can prove; look at the others.
            }
        }
        throw new Unusable("the response is not about this certificate (serial "
                + certificate.getSerialNumber().toString(16) + " of its issuer)");
    }

    private static void verifySignature(BasicOCSPResp basic, X509Certificate issuer, X509CertificateHolder issuerHolder,
            Instant now) throws Unusable {
        if (signedBy(basic, verifier(issuer.getPublicKey()))) {
            return;
        }
        String problem = "the response is not signed by the issuer or by a responder certificate it issued";
        for (X509CertificateHolder responder : basic.getCerts()) {
            if (!responder.getIssuer().equals(issuerHolder.getSubject()) || !issuedBy(responder, issuer)) {
                continue;
            }
            ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(responder.getExtensions());
            if (usage == null || !usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                problem = "the responder certificate " + responder.getSubject() + " lacks id-kp-OCSPSigning";
                continue;
            }
            if (!responder.isValidOn(Date.from(now))) {
                problem = "the responder certificate " + responder.getSubject() + " is not valid now";
                continue;
            }
            if (signedBy(basic, verifier(publicKey(responder)))) {
                return;
            }
        }
        throw new Unusable(problem);
    }

    private static boolean signedBy(BasicOCSPResp basic, ContentVerifierProvider verifier) {
        try {
            return verifier != null && basic.isSignatureValid(verifier);
        } catch (OCSPException | RuntimeException e) {
            // A key of another type than the signature's algorithm: not signed by this one.
            return false;
        }
    }

    private static boolean issuedBy(X509CertificateHolder certificate, X509Certificate issuer) {
        try {
            ContentVerifierProvider verifier = verifier(issuer.getPublicKey());
            return verifier != null && certificate.isSignatureValid(verifier);
        } catch (CertException | RuntimeException e) {
            return false;
        }
    }

    /**
     * From a JDK {@code PublicKey}: built from the encoded SubjectPublicKeyInfo, Bouncy Castle would
     * ask the JDK for a KeyFactory by OID, which the JDK's providers do not register for EC.
     */
    private static ContentVerifierProvider verifier(PublicKey key) {
        if (key == null) {
            return null;
        }
        try {
            return new JcaContentVerifierProviderBuilder().build(key);
        } catch (OperatorCreationException | RuntimeException e) {
            return null;
        }
    }

    private static PublicKey publicKey(X509CertificateHolder certificate) {
        try {
            return new JcaX509CertificateConverter().getCertificate(certificate).getPublicKey();
        } catch (CertificateException | RuntimeException e) {
            return null;
        }
    }

    private static DigestCalculatorProvider digests() throws Unusable {
        try {
            return new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new Unusable("no digest provider: " + e.getMessage());
        }
    }

    private static X509CertificateHolder holder(X509Certificate certificate) throws Unusable {
        try {
            return new JcaX509CertificateHolder(certificate);
        } catch (CertificateEncodingException e) {
            throw new Unusable("cannot encode the issuer certificate: " + e.getMessage());
        }
    }

    static String reason(int code) {
        return code >= 0 && code < REASONS.length ? REASONS[code] : String.valueOf(code);
    }

    private static String responseStatus(int status) {
        switch (status) {
            case OCSPResp.MALFORMED_REQUEST:
                return "malformedRequest";
            case OCSPResp.INTERNAL_ERROR:
                return "internalError";
            case OCSPResp.TRY_LATER:
                return "tryLater";
            case OCSPResp.SIG_REQUIRED:
                return "sigRequired";
            case OCSPResp.UNAUTHORIZED:
                return "unauthorized";
            default:
                return "status " + status;
        }
    }
}
