package dev.mtls.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The agent jar's size (target: at most 12 MB) and what makes it up: entries and compressed bytes
 * per bundled library. Every JVM with the agent opens this jar and reads its central directory,
 * so the entry count costs start-up time too.
 *
 * <pre>
 * java -cp benchmarks/target/classes dev.mtls.benchmarks.AgentJarReport [agent/target/mtls-agent.jar]
 * </pre>
 */
public final class AgentJarReport {
    private static final long TARGET = 12L * 1000 * 1000;

    private AgentJarReport() {
    }

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args.length > 0 ? args[0] : "agent/target/mtls-agent.jar");
        Map<String, long[]> parts = new TreeMap<>();
        int entries = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements();) {
                ZipEntry entry = all.nextElement();
                entries++;
                long[] part = parts.computeIfAbsent(library(entry.getName()), name -> new long[2]);
                part[0]++;
                part[1] += Math.max(0, entry.getCompressedSize());
            }
        }
        long size = Files.size(jar);
        System.out.printf("%s: %,d bytes (%.2f MB; target at most 12 MB: %s), %,d entries%n", jar, size, size / 1e6,
                size <= TARGET ? "met" : "NOT met", entries);
        for (Map.Entry<String, long[]> part : parts.entrySet()) {
            System.out.printf("  %-24s %,7d entries %,12d bytes compressed%n", part.getKey(), part.getValue()[0],
                    part.getValue()[1]);
        }
    }

    private static String library(String name) {
        String[] parts = name.split("/");
        if (name.startsWith("dev/mtls/shaded/") && parts.length > 4) {
            return parts[3];
        }
        return name.startsWith("dev/mtls/") ? "mtls-agent's own" : "other (META-INF, ...)";
    }
}
