package dev.mtls.examples.matrix;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for the matrix, from the machine's own server binaries (Debian's
 * package; .ci/run installs it where it is missing): initdb into a test folder, TLS with a server
 * certificate from the test CA, client certificates checked against the same CA, and
 * {@code hostssl ... cert} authentication on 127.0.0.1 only, so the role is the certificate's CN.
 * The bootstrap superuser is named after the profile's CN; the Unix socket (trusted, in the test
 * folder) serves only to create further roles.
 *
 * <p>PostgreSQL refuses to run as root: as root, every server command runs as the {@code postgres}
 * system user, which then owns the cluster's folder.
 */
final class PostgresServer implements AutoCloseable {
    private static final String SYSTEM_USER = "postgres";
    private static final long COMMAND_SECONDS = 60;

    private final Path bin;
    private final Path base;
    private final Path data;
    private final String superuser;
    private final int port;

    private PostgresServer(Path bin, Path base, String superuser, int port) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.superuser = superuser;
        this.port = port;
    }

    /**
     * The folder holding pg_ctl, initdb and psql: where the pg_ctl on the PATH really lives, else the
     * newest /usr/lib/postgresql/N/bin. Empty when this machine has no PostgreSQL server.
     */
    static Optional<Path> binaries() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path pgCtl = Path.of(entry).resolve("pg_ctl");
            if (!entry.isEmpty() && Files.isExecutable(pgCtl)) {
                try {
                    Path folder = pgCtl.toRealPath().getParent();
                    if (hasServerBinaries(folder)) {
                        return Optional.of(folder);
                    }
                } catch (IOException e) {
                    // A dangling link: keep looking.
                }
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(version -> version.resolve("bin")).filter(PostgresServer::hasServerBinaries)
                    .max(Comparator.comparing(PostgresServer::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why this machine cannot run the server for the tests, or empty when it can. */
    static Optional<String> cannotRunHere() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries (pg_ctl, initdb, psql) on the PATH or in"
                    + " /usr/lib/postgresql/*/bin; install Debian's postgresql package");
        }
        if (isRoot() && systemUser().isEmpty()) {
            return Optional.of("running as root and there is no '" + SYSTEM_USER
                    + "' system user to run PostgreSQL as (it refuses root)");
        }
        return Optional.empty();
    }

    /**
     * Creates and starts a cluster in {@code base} (which must not exist yet; its parent must be
     * one the postgres user may enter).
     *
     * @param superuser the bootstrap superuser's name, which cert authentication takes from a CN
     * @param serverChain PEM, leaf first; {@code serverKey} PEM; {@code clientCa} the CA for client certificates
     */
    static PostgresServer start(Path base, String superuser, Path serverChain, Path serverKey, Path clientCa)
            throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(cannotRunHere().orElse("")));
        Files.createDirectories(base);
        Path tls = Files.createDirectories(base.resolve("tls"));
        Files.copy(serverChain, tls.resolve("server.crt"));
        Files.copy(serverKey, tls.resolve("server.key"));
        Files.copy(clientCa, tls.resolve("client-ca.crt"));
        // The server refuses a key that others may read.
        Files.setPosixFilePermissions(tls.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        if (isRoot()) {
            chownTree(base, systemUser().orElseThrow());
        }
        PostgresServer server = new PostgresServer(bin, base, superuser, freePort());
        server.initialise(tls);
        server.run(List.of(bin.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-l",
                base.resolve("postgres.log").toString(), "-w", "-t", "60", "start"));
        return server;
    }

    int port() {
        return port;
    }

    /** Creates a role that may log in (with a certificate whose CN is its name). */
    void createRole(String name) throws IOException, InterruptedException {
        run(List.of(bin.resolve("psql").toString(), "-h", base.toString(), "-p", String.valueOf(port), "-U",
                superuser, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", "CREATE ROLE \"" + name + "\" LOGIN"));
    }

    private void initialise(Path tls) throws IOException, InterruptedException {
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", superuser, "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"));
        String settings = String.join("\n",
                "",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + base + "'",
                "ssl = on",
                "ssl_cert_file = '" + tls.resolve("server.crt") + "'",
                "ssl_key_file = '" + tls.resolve("server.key") + "'",
                "ssl_ca_file = '" + tls.resolve("client-ca.crt") + "'",
                "fsync = off",
                "");
        Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        // TCP only with TLS and a client certificate whose CN names the role; the socket only for setting up roles.
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "hostssl all all 127.0.0.1/32 cert",
                ""), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
    }

    /** The server's log, for assertion messages. */
    String log() {
        try {
            return Files.readString(base.resolve("postgres.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("postgres", ".out");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(base.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IOException(String.join(" ", full) + " did not end within " + COMMAND_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " exited " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8) + "\nserver log:\n" + log());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean hasServerBinaries(Path folder) {
        return Files.isExecutable(folder.resolve("pg_ctl")) && Files.isExecutable(folder.resolve("initdb"))
                && Files.isExecutable(folder.resolve("psql"));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static Optional<UserPrincipal> systemUser() {
        try {
            return Optional.of(Path.of("/").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(SYSTEM_USER));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void chownTree(Path folder, UserPrincipal owner) throws IOException {
        Files.setOwner(folder, owner);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    chownTree(entry, owner);
                } else {
                    Files.setOwner(entry, owner);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
