package dev.mtls.agent.it;

import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TlsTestServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call the client application made, read back from its {@code result} line (see
 * {@code HttpsClientApp}): which style, which URL, and either the response or the failure.
 */
final class ClientCall {
    final String style;
    final String url;
    /** "ok 200 body" or "failed javax.net.ssl.SSLHandshakeException: message". */
    final String outcome;

    private ClientCall(String style, String url, String outcome) {
        this.style = style;
        this.url = url;
        this.outcome = outcome;
    }

    /** Every call in a child JVM's output, by {@link #key(String, String)}. */
    static Map<String, ClientCall> parseAll(String stdout) {
        Map<String, ClientCall> calls = new LinkedHashMap<>();
        for (String line : stdout.split("\\R")) {
            String[] fields = line.split("\t", 4);
            if (fields.length == 4 && fields[0].equals("result")) {
                calls.put(key(fields[1], fields[2]), new ClientCall(fields[1], fields[2], unescape(fields[3])));
            }
        }
        return calls;
    }

    static String key(String style, String url) {
        return style + " " + url;
    }

    boolean succeeded() {
        return outcome.startsWith("ok ");
    }

    /** The response body of a call that succeeded. */
    String body() {
        int afterStatus = outcome.indexOf(' ', "ok ".length());
        return afterStatus < 0 ? "" : outcome.substring(afterStatus + 1);
    }

    /** The exception's class and message, of a call that failed. */
    String failure() {
        return outcome.startsWith("failed ") ? outcome.substring("failed ".length()) : null;
    }

    /** For a server's page: what that server reported; otherwise the failure. Identical outcomes, identical text. */
    String outcomeAt(TlsTestServer server) {
        if (!succeeded()) {
            return failure();
        }
        ServerReport report = server.report(body());
        return report == null ? "unexpected response: " + outcome : "ok, " + report;
    }

    @Override
    public String toString() {
        return style + " -> " + url + ": " + outcome;
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
