package dev.mtls.examples.servers;

import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

/**
 * Embedded Tomcat (11 or 10.1, whichever is on the class path) as an application sets it up for
 * HTTPS: one NIO connector per port with its keystore, no {@code certificateVerification}, no
 * truststore. The servlet answers with the subject of the servlet attribute
 * {@code jakarta.servlet.request.X509Certificate}. Arguments: the ports.
 */
public final class TomcatServerApp {
    private TomcatServerApp() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
        for (int port : ServerApps.ports(args)) {
            Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            connector.setSecure(true);
            connector.setScheme("https");
            connector.setProperty("SSLEnabled", "true");
            SSLHostConfig host = new SSLHostConfig();
            SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
                    SSLHostConfigCertificate.Type.UNDEFINED);
            certificate.setCertificateKeystoreFile(ServerApps.keyStoreFile().toString());
            certificate.setCertificateKeystorePassword(ServerApps.PASSWORD);
            certificate.setCertificateKeystoreType("PKCS12");
            host.addCertificate(certificate);
            connector.addSslHostConfig(host);
            tomcat.getService().addConnector(connector);
        }
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "subject", new SubjectServlet());
        context.addServletMappingDecoded("/", "subject");
        tomcat.start();
        ServerApps.serveUntilStdinCloses(ServerInfo.getServerInfo());
    }
}
