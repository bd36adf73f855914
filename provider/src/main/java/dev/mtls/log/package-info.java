/**
 * What every part of the agent needs to write a line an operator can trust: {@link
 * dev.mtls.log.MtlsLog}, the one way a line is written (logger "dev.mtls", the "mtls-agent: "
 * prefix, the {@code log} threshold ({@link dev.mtls.log.LogThreshold}), the once-only variant for
 * lines a handshake would otherwise repeat), and {@link dev.mtls.log.Printable}, which makes
 * text taken from a file safe to print. Depends on no other package of the project, so that any
 * package may use it without a cycle.
 */
package dev.mtls.log;
