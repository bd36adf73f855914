/**
 * The JCA/JSSE provider and the routing: {@link dev.mtls.jsse.MtlsProvider}, its key and trust
 * manager factories, and the routing managers that pick, per handshake, the profile for the host
 * and present its certificate or check the server against its trust (docs/HANDSHAKES.md), and for
 * a server handshake under a listener present its certificate and check the client
 * (docs/LISTENERS.md, with {@code listen}). Reads the snapshot in force through {@code snapshot},
 * registers sessions with {@code sessions}, and
 * otherwise uses only the layers below. Never depends on {@code reload} or the agent: the provider
 * starts the reload by class name, so a JVM that only constructs the provider loads none of it.
 */
package dev.mtls.jsse;
