/**
 * From a profile file to the snapshot in force: {@link dev.mtls.snapshot.ProfileLoader} reads the
 * file (through {@code profile}) and each profile's key material (through {@code material}) into an
 * immutable {@link dev.mtls.snapshot.ProfileSnapshot}; {@link dev.mtls.snapshot.ActiveProfiles}
 * holds the one in force and runs the first load when TLS is first used. May depend on
 * {@code profile}, {@code material}, {@code match}, {@code files} and {@code log}; never on the
 * JSSE classes, the session sweep, the reload or the agent, which all read the snapshot from here.
 */
package dev.mtls.snapshot;
