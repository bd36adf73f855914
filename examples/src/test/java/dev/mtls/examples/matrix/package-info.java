/**
 * The client compatibility matrix (docs/CLIENTS.md): each application of
 * {@code dev.mtls.examples.clients} runs in a child JVM with the built agent jar, on every
 * installed JDK, against servers in the test JVM that require a client certificate and report
 * the one they received.
 */
package dev.mtls.examples.matrix;
