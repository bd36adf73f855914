/**
 * Keeping the snapshot current (docs/RELOAD.md): {@link dev.mtls.reload.ProfileService}, the one
 * path that loads, merges with the last good snapshot, logs and publishes, for the first load and
 * every reload; the watcher's timer, the fingerprints of every file a snapshot depends on, expiry
 * warnings and the JMX view. The top of the provider: it may depend on every other provider
 * package and no other provider package depends on it (the provider starts it by class name).
 */
package dev.mtls.reload;
