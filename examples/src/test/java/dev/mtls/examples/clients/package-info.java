/**
 * Small unmodified client applications, one per library, each configured the way its library's
 * own documentation shows for plain HTTPS: no key material, default or JVM-wide trust. The
 * matrix tests run each in a child JVM with the agent and the library's jars only. Every
 * application calls each target it is given and prints one {@link ClientResults} line per call.
 */
package dev.mtls.examples.clients;
