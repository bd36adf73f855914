/**
 * The hook for Netty's OpenSSL/BoringSSL engine, which has no {@code SSLContext} for the other two
 * hooks to reach: calls inserted at the start of {@code SslContextBuilder#build} give client-side
 * builders the routing key manager, and server builders on that engine the listener without ports
 * (docs/LISTENERS.md). Matched by class-name suffix, so shaded copies of Netty
 * (gRPC's {@code io.grpc.netty.shaded.io.netty...}) are covered too. Until such a class loads, the
 * cost is one string comparison per loaded class. Depends on {@code jsse} (the manager wrapping),
 * {@code listen} (the listener decision), {@code snapshot} and {@code log} only; never on the rest of the agent.
 */
package dev.mtls.agent.netty;
