package dev.mtls.itapps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.net.ssl.SSLContext;

/**
 * An application that sets up TLS (an {@code SSLContext} initialised, no connection yet: the agent
 * loads its profiles and registers its bean at this first use of TLS) and then looks at the agent
 * over JMX, as an operator's console would: it waits for {@code dev.mtls:type=Agent}, prints a few attributes, and on each "reload" line from stdin
 * invokes the bean's reload operation and prints what it returned and the generation after it;
 * on a "call URL" line it makes one HTTPS request (a new connection) and prints each profile again;
 * on a "dump" line it prints every attribute, each profile with every item, and "dumped".
 */
public final class JmxProbeApp {
    private JmxProbeApp() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.mtls:type=Agent");
        SSLContext.getInstance("TLS").init(null, null, null);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() > deadline) {
                System.out.println("no bean");
                return;
            }
            Thread.sleep(20);
        }
        System.out.println("file=" + server.getAttribute(name, "ProfileFile"));
        System.out.println("generation=" + server.getAttribute(name, "Generation"));
        Object[] profiles = (Object[]) server.getAttribute(name, "Profiles");
        System.out.println("profiles=" + profiles.length);
        printProfiles(server, name);
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if ("reload".equals(line)) {
                System.out.println("reload=" + server.invoke(name, "reload", new Object[0], new String[0]));
                System.out.println("generation=" + server.getAttribute(name, "Generation"));
                printProfiles(server, name);
                System.out.println("reloaded");
            } else if ("dump".equals(line)) {
                for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    System.out.println(attribute.getName() + "=" + printed(server.getAttribute(name,
                            attribute.getName())));
                }
                System.out.println("dumped");
            } else if (line.startsWith("call ")) {
                HttpsCalls.urlConnection(URI.create(line.substring("call ".length())), SSLContext.getDefault());
                printProfiles(server, name);
                System.out.println("called");
            }
        }
    }

    private static String printed(Object value) {
        if (value instanceof Object[]) {
            StringBuilder text = new StringBuilder("[");
            for (Object item : (Object[]) value) {
                text.append(printed(item)).append(' ');
            }
            return text.append(']').toString();
        }
        if (value instanceof CompositeData) {
            CompositeData data = (CompositeData) value;
            StringBuilder text = new StringBuilder("{");
            for (String key : data.getCompositeType().keySet()) {
                text.append(key).append('=').append(printed(data.get(key))).append(", ");
            }
            return text.append('}').toString();
        }
        return String.valueOf(value);
    }

    private static void printProfiles(MBeanServer server, ObjectName name) throws Exception {
        for (Object profile : (Object[]) server.getAttribute(name, "Profiles")) {
            CompositeData data = (CompositeData) profile;
            System.out.println("profile " + data.get("name") + " subject=" + data.get("subject") + " handshakes="
                    + data.get("handshakes"));
        }
    }
}
