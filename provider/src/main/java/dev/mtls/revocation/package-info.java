/**
 * Whether a peer's certificate is revoked (docs/PROFILES.md, "Revocation"): the profile's or
 * listener's CRLs first ({@link dev.mtls.revocation.CrlStatus}), else OCSP
 * ({@link dev.mtls.revocation.OcspStatus}: a stapled response, the cache, the responder), and what
 * an undecided answer does ({@link dev.mtls.revocation.RevocationCheck}). Imports only
 * {@code profile}, {@code material}, {@code files} and {@code log}; {@code jsse} calls it from the
 * routing trust manager and the listener's client check.
 */
package dev.mtls.revocation;
