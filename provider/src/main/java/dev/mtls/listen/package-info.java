/**
 * The server side (docs/LISTENERS.md): which listener covers a server handshake
 * ({@link dev.mtls.listen.ServerHandshakes}, by the local port of the socket, or of the channel an
 * engine server last read on this thread), what it asks of the client, whether a client certificate
 * is on its allow-list ({@link dev.mtls.listen.AllowList}), whether a cached session may resume, and
 * the per-listener counts JMX shows. Below {@code jsse}, whose routing managers and the agent's
 * handshake hook call it; it reads the snapshot in force and the layers below it (the revocation
 * check among them), nothing else.
 */
package dev.mtls.listen;
