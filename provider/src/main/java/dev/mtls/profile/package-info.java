/**
 * The profile file: its model ({@link dev.mtls.profile.ProfileDefinition} and the specs it holds)
 * and {@link dev.mtls.profile.ProfileFileReader}, which reads either format into a
 * {@link dev.mtls.profile.ProfileDocument}. Nothing here opens a key file or validates a host
 * pattern; that happens when a definition loads ({@code snapshot}'s {@code ProfileLoader}, with
 * {@code material} and {@code match}). Depends on {@code files} and {@code log} only, so that
 * {@code material} can use the specs and secrets defined here without a cycle.
 *
 * <p>Decisions an operator can see:
 * <ul>
 * <li>The format is chosen by content. XML (first character {@code <} after a byte-order mark,
 *     white space and {@code #} lines) is read as WSO2; anything else must be a YAML mapping with
 *     {@code version} or {@code profiles}, or the file is "neither" format.
 * <li>A problem with the file as a whole (unreadable, not YAML or XML, a bad {@code version}, no
 *     {@code profiles}, too many YAML aliases, a DOCTYPE) is a
 *     {@link dev.mtls.profile.ProfileFileException}. A problem inside one profile is a
 *     {@link dev.mtls.profile.ProfileError} for that profile only; the others still load. A
 *     profile without a usable name is called {@code #N}, its 1-based position in the file. An
 *     unknown top-level field or a bad {@code reload} is an error of the file that leaves its
 *     profiles loading (with the default interval): a typo there must not drop every profile.
 * <li>YAML is strict: unknown and repeated fields are errors (with a "did you mean" for typos),
 *     an empty value ({@code key:}) is an error rather than a default, and any scalar is accepted
 *     as text ({@code storePassword: 123456}). {@code profiles:} with no entries is an empty file.
 * <li>WSO2 profiles are named after their first server ({@code *} is {@code default}; see
 *     {@code Wso2ProfileParser}); they are always {@code mandatory}, never verify
 *     host names themselves and never add the JVM's default CAs, as in WSO2. XML errors have no
 *     line number except for XML that is not well-formed.
 * <li>Secrets ({@code ${env:NAME}}, {@code ${sys:NAME}}, {@code ${file:PATH}}) expand in
 *     password fields only, in both formats, and are refused by name in every other field (see
 *     {@code ValueResolver}); {@code $${} is a literal {@code ${}.
 * </ul>
 */
package dev.mtls.profile;
