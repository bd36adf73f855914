/**
 * Host matching: host patterns as written in a profile, their canonical forms (IP literals, IDN,
 * case) and the matcher that chooses the most specific pattern for a host and port, with a cache
 * for repeated lookups. Pure functions of strings: depends on no other package of the project, so
 * the loader, the routing managers and the command line all share one definition of a match.
 */
package dev.mtls.match;
