package dev.mtls.material;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.Objects;

/** One CRL as loaded from its file (PEM or DER), with the file it came from for messages and {@code probe}. */
public final class RevocationList {
    private final Path file;
    private final X509CRL crl;

    public RevocationList(Path file, X509CRL crl) {
        this.file = Objects.requireNonNull(file, "file");
        this.crl = Objects.requireNonNull(crl, "crl");
    }

    public Path file() {
        return file;
    }

    public X509CRL crl() {
        return crl;
    }

    @Override
    public String toString() {
        return "CRL " + file;
    }
}
