/**
 * Reading files without letting a file capture the reader: every file the agent reads (profile
 * file, {@code ${file:…}} secrets, key material, the reload's fingerprints) goes through
 * {@link dev.mtls.files.BoundedReads}, bounded in size by the caller and in time here. It depends
 * on nothing else in the project, so that {@code profile}, {@code material}, {@code snapshot} and
 * {@code reload} can all use it.
 */
package dev.mtls.files;
