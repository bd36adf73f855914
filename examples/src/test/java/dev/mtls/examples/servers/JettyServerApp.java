package dev.mtls.examples.servers;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Embedded Jetty 12 as its documentation sets up HTTPS: an {@code SslContextFactory.Server} with the
 * keystore (no need/want client auth, no truststore), a {@code SecureRequestCustomizer}, one
 * connector per port, and an EE10 servlet that answers with the subject of the servlet attribute
 * {@code jakarta.servlet.request.X509Certificate}. Arguments: the ports.
 */
public final class JettyServerApp {
    private JettyServerApp() {
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(ServerApps.keyStoreFile().toString());
        tls.setKeyStorePassword(ServerApps.PASSWORD);
        tls.setKeyStoreType("PKCS12");
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        for (int port : ServerApps.ports(args)) {
            ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(https));
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            server.addConnector(connector);
        }
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new SubjectServlet()), "/");
        server.setHandler(context);
        server.start();
        ServerApps.serveUntilStdinCloses("Jetty " + Jetty.VERSION);
    }
}
