/**
 * What every part of the agent needs to write a line an operator can trust: the {@code log}
 * threshold ({@link dev.mtls.log.LogThreshold}), the once-only guard for lines a handshake would
 * otherwise repeat ({@link dev.mtls.log.OnceLog}), and {@link dev.mtls.log.Printable}, which makes
 * text taken from a file safe to print. Depends on no other package of the project, so that any
 * package may use it without a cycle.
 */
package dev.mtls.log;
