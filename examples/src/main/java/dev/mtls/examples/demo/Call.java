package dev.mtls.examples.demo;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The outcome of one call, as the demo prints it: the subject the backend reports and the server
 * certificate the client received, or why it failed.
 */
final class Call {
    private static final Pattern HELLO = Pattern.compile("\"hello\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final int MAX_REASON = 110;

    private final int status;
    private final String subject;
    private final String server;
    private final String failure;

    private Call(int status, String subject, String server, String failure) {
        this.status = status;
        this.subject = subject;
        this.server = server;
        this.failure = failure;
    }

    static Call make(ApiClient client, URI uri) {
        try {
            ApiClient.Reply reply = client.get(uri);
            Matcher hello = HELLO.matcher(reply.body);
            String subject = hello.find() ? hello.group(1).replaceAll("\\\\(.)", "$1") : reply.body.strip();
            return new Call(reply.status, subject, reply.server, null);
        } catch (Exception e) {
            return new Call(0, null, null, reason(e));
        }
    }

    boolean ok() {
        return failure == null && status == 200;
    }

    String subject() {
        return subject;
    }

    /** The subject of the server certificate this call's client received. */
    String server() {
        return server;
    }

    /** {@code 200 hello CN=…} or {@code failed: …}. */
    String outcome() {
        if (failure != null) {
            return "failed: " + failure;
        }
        return status + (status == 200 ? " hello " : " ") + subject;
    }

    /**
     * The most telling message in the cause chain: the innermost TLS error (the alert the server
     * sent, or what our side refused), else the innermost cause. Libraries wrap these differently.
     */
    static String reason(Throwable thrown) {
        Throwable tls = null;
        Throwable innermost = thrown;
        for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SSLException) {
                tls = t;
            }
            innermost = t;
        }
        Throwable chosen = tls != null ? tls : innermost;
        String text = chosen.getMessage() == null
                ? chosen.getClass().getSimpleName()
                : (tls != null ? "" : chosen.getClass().getSimpleName() + ": ") + chosen.getMessage();
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1) + "…";
    }
}
