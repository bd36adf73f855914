/**
 * Key material: the client identity (certificate chain and private key) and the trust anchors a
 * profile names, read from PEM files or keystores ({@link dev.mtls.material.IdentityLoader},
 * {@link dev.mtls.material.TrustLoader}), checked (the key matches the certificate, the
 * certificate may authenticate a client) and with Bouncy Castle loaded only for the formats the
 * JDK cannot read. Depends on {@code profile}'s specs and secrets, {@code files} and {@code log}
 * only: it knows nothing of snapshots, routing or reload.
 */
package dev.mtls.material;
