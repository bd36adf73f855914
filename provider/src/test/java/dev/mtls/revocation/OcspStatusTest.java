package dev.mtls.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtls.profile.RevocationSpec;
import dev.mtls.testing.OpenSslOcspResponder;
import dev.mtls.testing.TestCertificate;
import dev.mtls.testing.TestPki;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCSP against a real {@code openssl ocsp} responder: answers, the cache, stapled responses, failures. */
class OcspStatusTest {
    @TempDir
    static Path directory;
    static TestCertificate ca;
    static TestCertificate good;
    static TestCertificate revoked;
    static TestCertificate notInIndex;
    static TestCertificate delegatedSigner;
    static OpenSslOcspResponder responder;
    static OpenSslOcspResponder delegated;

    @BeforeAll
    static void startResponders() {
        ca = TestPki.rootCa("ocsp test CA").create();
        good = ca.issue("good.test").serverAuth().dns("good.test").create();
        revoked = ca.issue("revoked.test").serverAuth().dns("revoked.test").create();
        notInIndex = ca.issue("stranger.test").serverAuth().create();
        delegatedSigner = ca.issue("ocsp signer").extendedKeyUsage(TestPki.OCSP_SIGNING).create();
        responder = new OpenSslOcspResponder(directory, ca, ca).good(good)
                .revoked(revoked, Instant.parse("2026-01-02T03:04:05Z"), "keyCompromise").start(60);
        delegated = new OpenSslOcspResponder(directory, ca, delegatedSigner).good(good).start(0);
    }

    @AfterAll
    static void stopResponders() {
        if (responder != null) {
            responder.close();
        }
        if (delegated != null) {
            delegated.close();
        }
    }

    @BeforeEach
    void emptyCache() {
        OcspStatus.clearCache();
    }

    @Test
    void goodCertificateIsGoodFromTheResponderThenFromTheCache() {
        Status first = status(good, responder.url(), List.of());
        Status second = status(good, responder.url(), List.of());

        assertThat(first.state()).isEqualTo(Status.State.GOOD);
        assertThat(first.source()).isEqualTo("OCSP " + responder.url());
        assertThat(second.state()).isEqualTo(Status.State.GOOD);
        assertThat(second.source()).isEqualTo("cached OCSP " + responder.url());
    }

    @Test
    void revokedCertificateIsRevokedWithTimeAndReason() {
        Status status = status(revoked, responder.url(), List.of());

        assertThat(status.state()).isEqualTo(Status.State.REVOKED);
        assertThat(status.detail()).isEqualTo("revoked at 2026-01-02T03:04:05Z, reason keyCompromise");
    }

    @Test
    void certificateTheResponderDoesNotKnowIsUnknown() {
        Status status = status(notInIndex, responder.url(), List.of());

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.detail()).isEqualTo("the responder does not know the certificate");
    }

    @Test
    void responseSignedByDelegatedResponderCertificateCounts() {
        Status status = status(good, delegated.url(), List.of());

        assertThat(status.state()).isEqualTo(Status.State.GOOD);
    }

    @Test
    void responseNotSignedByTheIssuerDoesNotCount() {
        // Same name, another key: the responder answers for it, signed by the real CA's key.
        TestCertificate otherCa = TestPki.rootCa("ocsp test CA").create();
        Status status = OcspStatus.of(good.certificate(), otherCa.certificate(), spec(responder.url()), List.of(),
                Instant.now());

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.detail())
                .isEqualTo("the response is not signed by the issuer or by a responder certificate it issued");
    }

    @Test
    void responderNamedInTheCertificateIsAsked() {
        TestCertificate withAia = ca.issue("aia.test").serverAuth().ocspResponder(responder.url()).create();

        Status status = OcspStatus.of(withAia.certificate(), ca.certificate(), aiaSpec(), List.of(), Instant.now());

        // Not in the responder's index: the point is that it was asked, by the AIA address.
        assertThat(status.source()).isEqualTo("OCSP " + responder.url());
        assertThat(status.detail()).isEqualTo("the responder does not know the certificate");
    }

    @Test
    void certificateWithoutResponderIsUnknownWithReason() {
        Status status = OcspStatus.of(good.certificate(), ca.certificate(), aiaSpec(), List.of(), Instant.now());

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.detail()).contains("names no OCSP responder");
    }

    @Test
    void httpsResponderIsNotAsked() {
        TestCertificate https = ca.issue("https-aia.test").serverAuth().ocspResponder("https://ocsp.test/").create();

        Status status = OcspStatus.of(https.certificate(), ca.certificate(), aiaSpec(), List.of(), Instant.now());

        assertThat(status.source()).isEqualTo("OCSP https://ocsp.test/");
        assertThat(status.detail()).startsWith("only http:// responders are asked");
    }

    @Test
    void responderThatRefusesConnectionsIsUnknown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Status status = status(good, "http://127.0.0.1:" + closedPort, List.of());

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.detail()).startsWith("the responder cannot be reached");
    }

    @Test
    void responderThatNeverAnswersCostsTheTimeoutNotAHang() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Status status = status(good, "http://127.0.0.1:" + silent.getLocalPort(), List.of());

            assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
            assertThat(status.detail()).containsAnyOf("did not answer in time", "no answer within");
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void stapledResponseDecidesWithoutAskingTheResponder() throws IOException {
        byte[] staple = Files.readAllBytes(responder.writeResponse(revoked, directory.resolve("revoked.der"), 60));

        // The responder named is not listening: a stapled answer must not need it.
        Status status = status(revoked, "http://127.0.0.1:9", List.of(staple));

        assertThat(status.state()).isEqualTo(Status.State.REVOKED);
        assertThat(status.source()).isEqualTo("stapled OCSP");
    }

    @Test
    void stapledResponseForAnotherCertificateFallsBackToTheResponder() throws IOException {
        byte[] staple = Files.readAllBytes(responder.writeResponse(good, directory.resolve("good.der"), 60));

        Status status = status(revoked, responder.url(), List.of(staple));

        assertThat(status.state()).isEqualTo(Status.State.REVOKED);
        assertThat(status.source()).isEqualTo("OCSP " + responder.url());
    }

    @Test
    void staleStapledResponseDoesNotCount() throws IOException {
        byte[] staple = Files.readAllBytes(responder.writeResponse(good, directory.resolve("stale.der"), 1));

        Status status = OcspStatus.of(good.certificate(), ca.certificate(), spec("http://127.0.0.1:9"),
                List.of(staple), Instant.now().plus(Duration.ofHours(1)));

        assertThat(status.state()).isEqualTo(Status.State.UNKNOWN);
        assertThat(status.detail()).contains("the stapled response did not count: the response is stale");
    }

    @Test
    void garbageStapledResponseDoesNotCount() {
        Status status = status(good, "http://127.0.0.1:9", List.of(new byte[] {1, 2, 3}));

        assertThat(status.detail()).contains("the stapled response did not count: not an OCSP response");
    }

    @Test
    void cachedAnswerIsUsedUntilItExpires() {
        status(good, responder.url(), List.of());
        // The responder's answers carry nextUpdate in an hour; two hours later the entry is gone.
        Status later = OcspStatus.of(good.certificate(), ca.certificate(), spec("http://127.0.0.1:9"), List.of(),
                Instant.now().plus(Duration.ofHours(2)));

        assertThat(later.source()).isEqualTo("OCSP http://127.0.0.1:9");
    }

    @Test
    void answerNearItsNextUpdateIsRefreshedOnTheRefreshThread() throws Exception {
        // nextUpdate one minute ahead: every use of the cached answer is in its last minute.
        try (OpenSslOcspResponder shortLived = new OpenSslOcspResponder(directory, ca, ca).good(good).start(1)) {
            Status first = status(good, shortLived.url(), List.of());
            Status second = status(good, shortLived.url(), List.of());

            assertThat(first.source()).isEqualTo("OCSP " + shortLived.url());
            assertThat(second.source()).isEqualTo("cached OCSP " + shortLived.url());
            assertThat(awaitRequests(shortLived, 2)).isEqualTo(2);
            Thread refresh = thread(OcspCalls.REFRESH_THREAD);
            assertThat(refresh).isNotNull();
            assertThat(refresh.isDaemon()).isTrue();
        }
    }

    @Test
    void concurrentMissesForOneCertificateShareOneCall() throws Exception {
        byte[] answer = Files.readAllBytes(responder.writeResponse(good, directory.resolve("shared.der"), 60));
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer slow = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            asked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Pre-signed, no nonce echoed: accepted, as from responders that pre-sign their answers.
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        slow.start();
        String url = "http://127.0.0.1:" + slow.getAddress().getPort();
        try {
            Status[] statuses = new Status[3];
            List<Thread> handshakes = new ArrayList<>();
            for (int i = 0; i < statuses.length; i++) {
                int index = i;
                handshakes.add(new Thread(() -> statuses[index] = status(good, url, List.of())));
            }
            handshakes.get(0).start();
            asked.await();
            handshakes.get(1).start();
            handshakes.get(2).start();
            // Both waiting on the first one's call, not on a lock and not on a socket of their own.
            while (handshakes.get(1).getState() != Thread.State.TIMED_WAITING
                    || handshakes.get(2).getState() != Thread.State.TIMED_WAITING) {
                Thread.sleep(5);
            }
            release.countDown();
            for (Thread handshake : handshakes) {
                handshake.join();
            }

            assertThat(requests.get()).isEqualTo(1);
            for (Status status : statuses) {
                assertThat(status.state()).as(status.toString()).isEqualTo(Status.State.GOOD);
                assertThat(status.source()).isEqualTo("OCSP " + url);
            }
        } finally {
            release.countDown();
            slow.stop(0);
        }
    }

    /** Waits for an event, not for a time: the refresh runs in the background. */
    private static int awaitRequests(OpenSslOcspResponder responder, int expected) throws InterruptedException {
        int seen = 0;
        for (int i = 0; i < 500 && seen < expected; i++) {
            seen = responder.log().split("Received request", -1).length - 1;
            Thread.sleep(20);
        }
        return seen;
    }

    private static Thread thread(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return thread;
            }
        }
        return null;
    }

    private static Status status(TestCertificate certificate, String responderUrl, List<byte[]> stapled) {
        return OcspStatus.of(certificate.certificate(), ca.certificate(), spec(responderUrl), stapled, Instant.now());
    }

    private static RevocationSpec spec(String responderUrl) {
        return new RevocationSpec(List.of(), true, URI.create(responderUrl), RevocationSpec.OnUnknown.FAIL,
                RevocationSpec.Scope.LEAF);
    }

    private static RevocationSpec aiaSpec() {
        return new RevocationSpec(List.of(), true, null, RevocationSpec.OnUnknown.FAIL, RevocationSpec.Scope.LEAF);
    }
}
