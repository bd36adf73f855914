package dev.mtls.examples.matrix;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtls.examples.clients.NettyApp;
import dev.mtls.testing.ChildJvm;
import dev.mtls.testing.JdkTlsServer;
import dev.mtls.testing.ServerReport;
import dev.mtls.testing.TestCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rotation reaches a Netty client on the OpenSSL (BoringSSL) engine that keeps resuming
 * sessions from its own cache, which no {@code SSLContext} holds: an unmodified {@link NettyApp}
 * calls a server that requires a client certificate, each call on a new connection, while the
 * profile's certificate and key are replaced on disk ({@code reload=1s}). The server must see the
 * new certificate, and never the old one again once it has, while sessions go on being resumed
 * before and after.
 */
class NettyRotationIT {
    private static final String BEFORE = "CN=before-rotation,O=mtls-agent matrix";
    private static final String AFTER = "CN=after-rotation,O=mtls-agent matrix";
    /** How long to wait for calls to happen at all: a generous bound for a loaded machine, not a measured target. */
    private static final long PATIENCE_MILLIS = 60_000;

    @TempDir
    static Path directory;
    private static MatrixPki pki;
    private static JdkTlsServer requiring;

    @BeforeAll
    static void start() throws Exception {
        pki = new MatrixPki(directory);
        requiring = JdkTlsServer.requiringClientCertificate(pki.server, pki.ca);
    }

    @AfterAll
    static void stop() {
        if (requiring != null) {
            requiring.close();
        }
    }

    static List<Jdk> jdks() {
        return Jdk.installed();
    }

    @ParameterizedTest(name = "on {0}")
    @MethodSource("jdks")
    void resumingOpenSslClientPresentsTheRotatedCertificate(Jdk jdk) throws Exception {
        Path folder = Files.createDirectories(directory.resolve(jdk.tag()));
        TestCertificate before = pki.ca.issue("before-rotation").subject(BEFORE).clientAuth().create();
        TestCertificate after = pki.ca.issue("after-rotation").subject(AFTER).clientAuth().create();
        install(before, folder);
        Path profiles = Files.writeString(folder.resolve("profiles.yaml"), String.join("\n",
                "version: 1",
                "profiles:",
                "  - name: rotating",
                "    hosts: [" + MatrixPki.MATCHING_HOST + "]",
                "    identity:",
                "      certificate: client-chain.pem",
                "      key: client.key",
                ""));
        Path stopFile = folder.resolve("stop");
        String tag = "/netty-rotation/" + jdk.tag();
        ChildJvm client = pki.trustingClient(jdk.client("netty"))
                .jvmArgument("-javaagent:" + ChildJvm.agentJar() + "=profiles=" + profiles + ",reload=1s");
        CompletableFuture<ClientRun> running = CompletableFuture.supplyAsync(() -> run(client, stopFile,
                requiring.url(MatrixPki.MATCHING_HOST, tag)));
        try {
            awaitCall(tag, 10, running);
            int rotatedAt = lastCall(tag);
            install(after, folder);
            int firstAfter = firstCallWith(AFTER, tag, rotatedAt, running);
            awaitCall(tag, firstAfter + 30, running);
        } finally {
            Files.writeString(stopFile, "");
        }
        ClientRun run = running.get(2, TimeUnit.MINUTES);

        int calls = lastCall(tag) + 1;
        List<String> subjects = new ArrayList<>();
        for (int n = 0; n < calls; n++) {
            ServerReport seen = requiring.seen(tag + "/" + n);
            subjects.add(seen == null ? "(no request arrived)" : seen.clientSubject);
        }
        int firstAfter = subjects.indexOf(AFTER);
        List<String> resumed = run.info("resumed");
        assertAll(run.toString() + "\nsubjects: " + subjects,
                () -> assertEquals(0, run.exitCode),
                () -> assertEquals(BEFORE, subjects.get(0)),
                () -> assertTrue(firstAfter > 0),
                () -> assertEquals(List.of(), subjects.subList(firstAfter, calls).stream()
                        .filter(subject -> !subject.equals(AFTER)).collect(Collectors.toList()),
                        "once the server has seen the new certificate, every later call presents it"),
                () -> assertTrue(resumedBetween(resumed, 1, firstAfter), "sessions were resumed before the rotation: "
                        + resumed),
                () -> assertTrue(resumedBetween(resumed, firstAfter + 1, calls),
                        "sessions were resumed after the rotation: " + resumed),
                () -> assertTrue(run.info("engine").stream().allMatch(engine -> engine.contains("OpenSsl")),
                        "every call ran on BoringSSL"),
                () -> assertEquals(List.of(), run.agentComplaints()));
    }

    /** Writes the identity where the profile reads it, each file replaced in one move, as a deployment tool does. */
    private static void install(TestCertificate identity, Path folder) throws IOException {
        MatrixPki.install(identity, folder.resolve("client-chain.pem"), folder.resolve("client.key"));
    }

    private static ClientRun run(ChildJvm client, Path stopFile, String url) {
        try {
            return ClientRun.of(client.run(NettyApp.class, "OPENSSL", "--repeat-until", stopFile.toString(), url));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The number of the last call the server has seen, -1 for none. */
    private static int lastCall(String tag) {
        int n = -1;
        while (requiring.seen(tag + "/" + (n + 1)) != null) {
            n++;
        }
        return n;
    }

    private static void awaitCall(String tag, int n, CompletableFuture<ClientRun> running) throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        while (requiring.seen(tag + "/" + n) == null) {
            if (running.isDone() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("the client made no call " + n + ": "
                        + (running.isDone() ? running.get() : "still running"));
            }
            Thread.sleep(50);
        }
    }

    /** The first call from {@code from} on whose certificate was {@code subject}; fails when none comes. */
    private static int firstCallWith(String subject, String tag, int from, CompletableFuture<ClientRun> running)
            throws Exception {
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        for (int n = from;; n++) {
            awaitCall(tag, n, running);
            if (subject.equals(requiring.seen(tag + "/" + n).clientSubject)) {
                return n;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the server never saw " + subject + " after the rotation (calls " + from
                        + " to " + n + " presented " + requiring.seen(tag + "/" + n).clientSubject + ")");
            }
        }
    }

    private static boolean resumedBetween(List<String> resumed, int from, int to) {
        for (String line : resumed) {
            String[] fields = line.split(" ");
            int n = Integer.parseInt(fields[0]);
            if (n >= from && n < to && fields[1].equals("yes")) {
                return true;
            }
        }
        return false;
    }
}
