/**
 * The hook for Netty's OpenSSL/BoringSSL engine, which has no {@code SSLContext} for the other two
 * hooks to reach: advice on {@code SslContextBuilder#build} that gives client-side builders the
 * routing key manager. Matched by class-name suffix, so shaded copies of Netty (gRPC's
 * {@code io.grpc.netty.shaded.io.netty...}) are covered too. Byte Buddy is loaded only when such a
 * class appears; until then the cost is one string comparison per loaded class.
 */
package dev.mtls.agent.netty;
