/**
 * The class-file hooks on the JDK (docs/AGENT.md): one in {@code SSLContext#init}, which wraps the
 * application's key and trust managers in the routing ones whatever provider made the context, and
 * one in SunJSSE's client session cache, which asks the session sweep before a session resumes, and
 * the server side's (docs/LISTENERS.md): the start of a server handshake, SunJSSE's server
 * resumption checks and socket channel reads. Each defines a small hook class inside the JDK's own
 * package that may use JDK types only. Depends on {@code jsse}, {@code listen}, {@code sessions},
 * {@code snapshot} and {@code log}; never on the rest of the agent.
 */
package dev.mtls.agent.hook;
