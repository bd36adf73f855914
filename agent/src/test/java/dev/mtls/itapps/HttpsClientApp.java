package dev.mtls.itapps;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * An unmodified application: it knows nothing of the agent. It calls URLs with one or more client
 * styles, each a way real code builds its TLS, and prints one machine-readable line per call:
 * {@code result<TAB>style<TAB>url<TAB>outcome}, the outcome {@code ok <status> <body>} or
 * {@code failed <exception>}, with backslashes, CR and LF escaped so that it stays one line.
 * Trust comes from the standard {@code javax.net.ssl.trustStore} properties unless a style says otherwise.
 *
 * <p>Usage: {@code HttpsClientApp STYLE[,STYLE...] URL... [STYLE[,STYLE...] URL...]...}: each URL
 * is called with every style named before it. Styles: urlconnection, httpclient,
 * init-null-keymanager, sunjsse-named, default-socket, bouncycastle (Bouncy Castle's JSSE, which
 * must be on the class path), own-keystore and jetty-sunjsse (the application's own client
 * certificate from the PKCS12 keystore named by {@code itapp.keyStore}, password "changeit"),
 * trust-all (a plain {@code X509TrustManager} that trusts every server), layered-socket (TLS layered
 * over a plain socket to the URL's address, the server named only in SNI by {@code itapp.serverName}).
 */
public final class HttpsClientApp {
    /** The styles that reach a client certificate each through a different path of the agent. */
    public static final List<String> INJECTION_STYLES = List.of("urlconnection", "httpclient",
            "init-null-keymanager", "sunjsse-named", "default-socket", "bouncycastle");

    private HttpsClientApp() {
    }

    public static void main(String[] args) throws Exception {
        // Every call opens a connection of its own; none rides on an earlier call's connection.
        System.setProperty("http.keepAlive", "false");
        List<String> styles = new ArrayList<>();
        for (String argument : args) {
            if (!argument.startsWith("https://")) {
                styles = List.of(argument.split(","));
                continue;
            }
            for (String style : styles) {
                URI uri = URI.create(argument);
                String outcome;
                try {
                    outcome = "ok " + call(style, uri);
                } catch (IOException e) {
                    outcome = "failed " + e;
                }
                System.out.println("result\t" + style + "\t" + uri + "\t" + escape(outcome));
                System.out.flush();
                forgetDefaultContextSessions();
            }
        }
    }

    private static String call(String style, URI uri) throws Exception {
        switch (style) {
            case "urlconnection":
                return HttpsCalls.urlConnection(uri, null);
            case "httpclient":
                return HttpsCalls.httpClient(uri, HttpClient.newHttpClient());
            case "init-null-keymanager": {
                // What OkHttp, Apache HttpClient, Netty, pgjdbc and Kafka do: their own trust, no key managers.
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init((KeyStore) null);
                return HttpsCalls.urlConnection(uri, context(SSLContext.getInstance("TLS"), null, trust));
            }
            case "sunjsse-named":
                // The provider named explicitly never reaches a default key manager factory lookup.
                return HttpsCalls.httpClient(uri, HttpClient.newBuilder()
                        .sslContext(context(SSLContext.getInstance("TLS", "SunJSSE"), null, null)).build());
            case "default-socket":
                return HttpsCalls.defaultSocket(uri);
            case "layered-socket":
                return HttpsCalls.layeredSocket(uri, System.getProperty("itapp.serverName"));
            case "bouncycastle":
                return HttpsCalls.urlConnection(uri, BouncyCastleClient.context());
            case "own-keystore":
                return HttpsCalls.urlConnection(uri, context(SSLContext.getInstance("TLS"),
                        ApplicationKeyStore.keyManagers(KeyManagerFactory.getInstance(
                                KeyManagerFactory.getDefaultAlgorithm())), null));
            case "jetty-sunjsse": {
                // Jetty's SslContextFactory with a provider configured names it for both factories.
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm(),
                        "SunJSSE");
                trust.init((KeyStore) null);
                return HttpsCalls.urlConnection(uri, context(SSLContext.getInstance("TLS"),
                        ApplicationKeyStore.keyManagers(KeyManagerFactory.getInstance(
                                KeyManagerFactory.getDefaultAlgorithm(), "SunJSSE")), trust));
            }
            case "trust-all": {
                // HttpsURLConnection switches on HTTPS endpoint identification by itself.
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAllManager()}, null);
                return HttpsCalls.urlConnection(uri, context);
            }
            default:
                throw new IllegalArgumentException("unknown style " + style);
        }
    }

    private static SSLContext context(SSLContext context, KeyManagerFactory keys, TrustManagerFactory trust)
            throws Exception {
        context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                null);
        return context;
    }

    /**
     * Every call makes a full handshake, as if each style ran in a JVM of its own: a session
     * resumed from an earlier call would carry the certificate that call chose and prove nothing
     * about this one. The styles sharing the default SSLContext are the ones that could resume.
     */
    private static void forgetDefaultContextSessions() throws NoSuchAlgorithmException {
        SSLSessionContext sessions = SSLContext.getDefault().getClientSessionContext();
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n");
    }
}
