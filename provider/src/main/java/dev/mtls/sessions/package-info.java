/**
 * Keeping cached TLS sessions honest after a reload (docs/RELOAD.md, "Cached TLS sessions"): the
 * contexts and engine caches whose client sessions may resume
 * ({@link dev.mtls.sessions.WrappedContexts}, {@link dev.mtls.sessions.EngineSessionCaches}), the
 * certificates presented so far, and {@link dev.mtls.sessions.ClientSessionSweeper}, which drops a
 * session that would resume with a certificate the profiles no longer choose. {@link
 * dev.mtls.sessions.Peer} (which host a handshake is for) lives here because both the sweep and the
 * routing managers in {@code jsse} need it. Depends on {@code snapshot} and the layers below it.
 */
package dev.mtls.sessions;
