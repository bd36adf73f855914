package dev.mtls.agent.cli;

import dev.mtls.material.RevocationList;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.RevocationSpec;
import dev.mtls.profile.TlsSpec;
import dev.mtls.profile.TrustSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The rows of {@code check}'s policy table (docs/POLICY.md): one per check a profile or listener
 * makes beyond the chain, with its settings as the agent read them. Only the CRLs add what was
 * loaded (their next update, and whether it is past), since an outdated CRL decides nothing.
 */
final class PolicyRows {
    private static final int PIN_PREFIX_SHOWN = "sha256/".length() + 12;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Instant now;

    /** @param folder paths under it are shown relative to it, as written in the file */
    PolicyRows(Path folder, Instant now) {
        this.folder = folder;
        this.now = now;
    }

    /**
     * @param trust as written; null for none
     * @param loaded the trust as loaded, for the CRLs' dates; null when it did not load
     * @param tls null for none
     */
    List<String[]> of(String name, TrustSpec trust, TrustAnchors loaded, TlsSpec tls) {
        List<String[]> rows = new ArrayList<>();
        if (trust != null && trust.revocation() != null) {
            rows.add(new String[] {name, "revocation", revocation(trust.revocation(), loaded)});
        }
        if (trust != null && !trust.serverNames().isEmpty()) {
            rows.add(new String[] {name, "serverNames", String.join(", ", trust.serverNames())});
        }
        if (trust != null && !trust.pins().isEmpty()) {
            rows.add(new String[] {name, "pins", pins(trust.pins())});
        }
        if (tls != null) {
            rows.add(new String[] {name, "tls", tls(tls)});
        }
        return rows;
    }

    private String revocation(RevocationSpec revocation, TrustAnchors loaded) {
        List<String> parts = new ArrayList<>();
        for (Path crl : revocation.crls()) {
            parts.add("CRL " + shown(crl) + nextUpdate(crl, loaded));
        }
        if (revocation.ocsp()) {
            parts.add(revocation.ocspResponder() == null ? "OCSP (AIA)" : "OCSP " + revocation.ocspResponder());
        }
        parts.add("onUnknown " + revocation.onUnknown().name().toLowerCase(Locale.ROOT));
        parts.add("scope " + revocation.scope().name().toLowerCase(Locale.ROOT));
        return String.join(", ", parts);
    }

    /** " (next update …)" from the loaded CRL; "" when it did not load (its error says why). */
    private String nextUpdate(Path crl, TrustAnchors loaded) {
        if (loaded == null) {
            return "";
        }
        for (RevocationList list : loaded.revocationLists()) {
            if (list.file().equals(crl)) {
                Date next = list.crl().getNextUpdate();
                if (next == null) {
                    return " (no next update)";
                }
                return next.toInstant().isBefore(now) ? " (OUTDATED: next update was " + WHEN.format(next.toInstant())
                        + ")" : " (next update " + WHEN.format(next.toInstant()) + ")";
            }
        }
        return "";
    }

    /** Each pin's start: enough to tell pins apart, short enough for a row. */
    private static String pins(List<String> pins) {
        List<String> shown = new ArrayList<>();
        for (String pin : pins) {
            shown.add(pin.length() > PIN_PREFIX_SHOWN ? pin.substring(0, PIN_PREFIX_SHOWN) + "…" : pin);
        }
        return pins.size() + " (" + String.join(", ", shown) + ")";
    }

    private static String tls(TlsSpec tls) {
        List<String> parts = new ArrayList<>();
        if (tls.minVersion() != null) {
            parts.add("minVersion " + tls.minVersion());
        }
        if (!tls.cipherSuites().isEmpty()) {
            parts.add("cipherSuites " + String.join(" ", tls.cipherSuites()));
        }
        return String.join(", ", parts);
    }

    private String shown(Path path) {
        return folder != null && path.startsWith(folder) ? folder.relativize(path).toString() : path.toString();
    }
}
