package dev.mtls.material;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

/**
 * Reads the CRL files of a {@code trust.revocation} block: each through the bounded read every key
 * material file gets, PEM ({@code -----BEGIN X509 CRL-----}, several blocks allowed) or DER, parsed
 * by the JDK's {@link CertificateFactory}. The signature is not checked here: the issuer may be an
 * intermediate the peer sends, or a CA of the application's trust, so it is checked at handshake
 * time against the certificate's issuer (and cached there).
 */
public final class CrlLoader {
    private CrlLoader() {
    }

    /** @throws MaterialException naming the file: missing, unreadable, too large, empty, or not a CRL */
    public static List<RevocationList> load(List<Path> files) throws MaterialException {
        List<RevocationList> lists = new ArrayList<>(files.size());
        for (Path file : files) {
            for (X509CRL crl : read(file)) {
                lists.add(new RevocationList(file, crl));
            }
        }
        return lists;
    }

    /** The sentence a load warns with for a CRL past its nextUpdate, or null when it is current. */
    public static String staleWarning(RevocationList list, Instant now) {
        Date nextUpdate = list.crl().getNextUpdate();
        if (nextUpdate == null || !nextUpdate.toInstant().isBefore(now)) {
            return null;
        }
        return "CRL " + list.file() + " (issuer " + Names.of(list.crl().getIssuerX500Principal())
                + ") is past its nextUpdate " + nextUpdate.toInstant()
                + ": certificates it covers have an unknown revocation status until it is replaced";
    }

    private static List<X509CRL> read(Path file) throws MaterialException {
        byte[] bytes = MaterialFile.read(file);
        if (isBlank(bytes)) {
            throw new MaterialException(file + ": empty file (expected a CRL, PEM or DER)");
        }
        Collection<? extends CRL> crls;
        try {
            crls = CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new MaterialException(file + ": not a CRL (expected PEM -----BEGIN X509 CRL----- or DER)", e);
        }
        List<X509CRL> result = new ArrayList<>(crls.size());
        for (CRL crl : crls) {
            if (crl instanceof X509CRL) {
                result.add((X509CRL) crl);
            }
        }
        if (result.isEmpty()) {
            throw new MaterialException(file + ": no CRL found (expected PEM -----BEGIN X509 CRL----- or DER)");
        }
        return result;
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }
}
