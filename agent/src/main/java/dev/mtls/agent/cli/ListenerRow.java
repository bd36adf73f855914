package dev.mtls.agent.cli;

import dev.mtls.material.Identity;
import dev.mtls.material.Names;
import dev.mtls.material.TrustAnchors;
import dev.mtls.profile.AllowEntry;
import dev.mtls.profile.ClientAuth;
import dev.mtls.snapshot.LoadedListener;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The cells of one listener's row in {@code check}'s listener table. */
final class ListenerRow {
    static final String[] HEADER = {"LISTENER", "STATUS", "PORTS", "CLIENTAUTH", "TRUST", "ALLOW", "SUBJECT",
        "NOT AFTER"};
    private static final String NONE = "-";

    private ListenerRow() {
    }

    static String[] of(LoadedListener listener) {
        String status = listener.isUsable() ? "ok" : "ERROR";
        String[] identity = identityCells(listener);
        return new String[] {listener.name(), status, ports(listener), listener.clientAuth().toString(),
            trust(listener), allow(listener), identity[0], identity[1]};
    }

    private static String ports(LoadedListener listener) {
        if (listener.ports().isEmpty()) {
            return "every port";
        }
        List<String> ports = new ArrayList<>();
        for (Integer port : listener.ports()) {
            ports.add(port.toString());
        }
        return String.join(",", ports);
    }

    /** The CAs' subjects; "application's" where the listener leaves client authentication to the application. */
    private static String trust(LoadedListener listener) {
        if (listener.clientAuth() == ClientAuth.NONE) {
            return "application's";
        }
        TrustAnchors trust = listener.trust().orElse(null);
        if (trust == null) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        for (X509Certificate certificate : trust.certificates()) {
            names.add(Names.subject(certificate));
        }
        return String.join("; ", names) + (trust.includeDefault() ? " + JVM defaults" : "");
    }

    /** "any" when every trusted certificate gets in; "-" where the listener asks for none. */
    private static String allow(LoadedListener listener) {
        if (listener.clientAuth() == ClientAuth.NONE) {
            return NONE;
        }
        if (listener.allow().isEmpty()) {
            return listener.isUsable() ? "any" : NONE;
        }
        List<String> entries = new ArrayList<>();
        for (AllowEntry entry : listener.allow()) {
            entries.add(entry.toString());
        }
        return String.join("; ", entries);
    }

    /** The server certificate's subject and last day; "(application's)" when the listener serves none of its own. */
    private static String[] identityCells(LoadedListener listener) {
        Identity identity = listener.identity().orElse(null);
        if (identity != null) {
            X509Certificate leaf = identity.leaf();
            return new String[] {Names.subject(leaf) + ProfileRow.tokenOf(listener.definition().identity()),
                leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC).toLocalDate().toString()};
        }
        boolean declared = listener.definition().identity() != null || listener.definition().unreadable().isPresent();
        return new String[] {declared ? NONE : "(application's)", NONE};
    }
}
