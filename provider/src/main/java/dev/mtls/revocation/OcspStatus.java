package dev.mtls.revocation;

import dev.mtls.log.MtlsLog;
import dev.mtls.profile.RevocationSpec;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A certificate's status by OCSP: a stapled response the server sent, else a cached answer still
 * before its nextUpdate, else the responder (the certificate's AIA, or the spec's
 * {@code ocspResponder}) with a short timeout, on no lock other handshakes wait on. Responses are
 * verified (signed by the issuer or a delegated responder it certified) before they count.
 *
 * <p>A responder call runs on a worker ({@link OcspCalls}); the handshake waits for it at most
 * {@link OcspHttp#TOTAL_TIMEOUT_MILLIS}. Handshakes that miss the cache for the same certificate at
 * the same time share that one call. A cached answer used in the last part of its validity is
 * refreshed in the background, so steady traffic does not wait for the responder.
 */
final class OcspStatus {
    static final String STAPLED = "stapled OCSP";

    private static final OcspCache CACHE = new OcspCache(OcspCache.MAX_ENTRIES);
    /** The call in flight per cache key: concurrent misses share it, and a refresh is not started twice. */
    private static final ConcurrentHashMap<String, CompletableFuture<OcspAnswer>> IN_FLIGHT =
            new ConcurrentHashMap<>();

    private OcspStatus() {
    }

    /**
     * @param stapled the DER OCSP responses the server stapled, first for the leaf; empty when none
     */
    static Status of(X509Certificate certificate, X509Certificate issuer, RevocationSpec spec, List<byte[]> stapled,
            Instant now) {
        String stapledProblem = null;
        byte[] staple = stapled.isEmpty() ? null : stapled.get(0);
        if (staple != null && staple.length > 0) {
            try {
                OcspAnswer answer = OcspResponses.read(staple, certificate, issuer, null, now);
                if (answer.state != Status.State.UNKNOWN) {
                    return answer.status(STAPLED);
                }
                stapledProblem = answer.detail;
            } catch (OcspResponses.Unusable e) {
                stapledProblem = e.getMessage();
            }
        }
        Status status = fromResponder(certificate, issuer, spec, now);
        if (stapledProblem != null && status.state() == Status.State.UNKNOWN) {
            return Status.unknown(status.source(), status.detail() + "; the stapled response did not count: "
                    + stapledProblem);
        }
        return status;
    }

    private static Status fromResponder(X509Certificate certificate, X509Certificate issuer, RevocationSpec spec,
            Instant now) {
        URI responder = spec.ocspResponder();
        if (responder == null) {
            responder = OcspAddress.of(certificate);
            if (responder == null) {
                return Status.unknown("OCSP", "the certificate names no OCSP responder (AIA) and no ocspResponder"
                        + " is set");
            }
        }
        String source = "OCSP " + responder;
        if (!"http".equalsIgnoreCase(responder.getScheme())) {
            return Status.unknown(source, "only http:// responders are asked (OCSP responses are signed;"
                    + " TLS to the responder would make revocation depend on itself)");
        }
        String key = key(certificate, issuer, responder);
        OcspAnswer cached = CACHE.get(key, now);
        if (cached != null) {
            if (cached.refreshDue(now)) {
                refresh(key, responder, certificate, issuer);
            }
            return cached.status("cached " + source);
        }
        CompletableFuture<OcspAnswer> call = new CompletableFuture<>();
        CompletableFuture<OcspAnswer> running = IN_FLIGHT.putIfAbsent(key, call);
        if (running == null) {
            if (!OcspCalls.call(new Call(key, responder, certificate, issuer, call))) {
                IN_FLIGHT.remove(key, call);
                return Status.unknown(source, "too many OCSP calls in flight (" + OcspCalls.MAX_CALLS + ")");
            }
            running = call;
        }
        try {
            return running.get(OcspHttp.TOTAL_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).status(source);
        } catch (TimeoutException e) {
            return Status.unknown(source, "no answer within " + OcspHttp.TOTAL_TIMEOUT_MILLIS + " ms");
        } catch (ExecutionException e) {
            return Status.unknown(source, describe(e.getCause()));
        } catch (CancellationException e) {
            return Status.unknown(source, "the call ended abnormally");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.unknown(source, "interrupted while waiting for the responder");
        }
    }

    /** On the refresh thread, unless a call for this key is already running. */
    private static void refresh(String key, URI responder, X509Certificate certificate, X509Certificate issuer) {
        CompletableFuture<OcspAnswer> call = new CompletableFuture<>();
        if (IN_FLIGHT.putIfAbsent(key, call) == null
                && !OcspCalls.refresh(new Call(key, responder, certificate, issuer, call))) {
            IN_FLIGHT.remove(key, call);
        }
    }

    /** The issuer's key (not only its name: two CAs may share one), the serial and the responder. */
    private static String key(X509Certificate certificate, X509Certificate issuer, URI responder) {
        byte[] issuerKey;
        try {
            issuerKey = MessageDigest.getInstance("SHA-256").digest(issuer.getPublicKey().getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        return Base64.getEncoder().encodeToString(issuerKey) + ' ' + certificate.getSerialNumber().toString(16)
                + ' ' + responder;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof OcspResponses.Unusable) {
            return cause.getMessage();
        }
        if (cause instanceof java.net.SocketTimeoutException) {
            return "the responder did not answer in time (" + cause.getMessage() + ")";
        }
        if (cause instanceof IOException) {
            return "the responder cannot be reached: " + cause;
        }
        return "the call failed: " + cause;
    }

    /** For tests: forget every cached answer. */
    static void clearCache() {
        CACHE.clear();
    }

    static int cacheSize() {
        return CACHE.size();
    }

    /** One responder call; completes its future, keeps a definite answer in the cache. */
    static final class Call implements Runnable {
        private final String key;
        private final URI responder;
        private final X509Certificate certificate;
        private final X509Certificate issuer;
        private final CompletableFuture<OcspAnswer> result;

        Call(String key, URI responder, X509Certificate certificate, X509Certificate issuer,
                CompletableFuture<OcspAnswer> result) {
            this.key = key;
            this.responder = responder;
            this.certificate = certificate;
            this.issuer = issuer;
            this.result = result;
        }

        @Override
        public void run() {
            try {
                OcspResponses.Request request = OcspResponses.request(certificate, issuer);
                byte[] response = OcspHttp.post(responder, request.der);
                OcspAnswer answer = OcspResponses.read(response, certificate, issuer, request.nonce, Instant.now());
                if (answer.cacheable()) {
                    CACHE.put(key, answer);
                }
                // Cached first, then no longer in flight, then the waiters woken: a handshake that comes
                // in between finds the answer, and one woken here that triggers a refresh is not refused
                // by this call still being listed.
                IN_FLIGHT.remove(key, result);
                result.complete(answer);
            } catch (Exception | LinkageError e) {
                MtlsLog.once("ocsp " + responder + '\n' + describe(e), Level.DEBUG,
                        "OCSP responder " + responder + ": " + describe(e));
                IN_FLIGHT.remove(key, result);
                result.completeExceptionally(e);
            } finally {
                if (!result.isDone()) {
                    // An Error on the way: the key must not stay "in flight" for good.
                    IN_FLIGHT.remove(key, result);
                    result.cancel(false);
                }
            }
        }
    }
}
