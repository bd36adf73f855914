package dev.mtls.examples.servers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * The servlet of the Tomcat and Jetty applications: answers with the subject of the servlet
 * attribute {@code jakarta.servlet.request.X509Certificate}, the one API a servlet has for the
 * client's certificate (loaded only on the class path of the server that runs it).
 */
final class SubjectServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        X509Certificate[] chain = (X509Certificate[]) request.getAttribute("jakarta.servlet.request.X509Certificate");
        response.setContentType("text/plain");
        response.getWriter().write(ServerApps.answer(chain));
    }
}
