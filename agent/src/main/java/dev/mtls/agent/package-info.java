/**
 * The Java agent itself: {@link dev.mtls.agent.AgentMain} for {@code -javaagent} and attach, the
 * options, the log, {@link dev.mtls.agent.FirstTlsUse}, the one transformer premain registers, and
 * {@link dev.mtls.agent.AgentInstaller}, which (at the first class only TLS loads) lists the
 * provider, installs the hooks and registers the first load to run when TLS is first used
 * (docs/AGENT.md). Uses the provider's packages and its own {@code hook} and {@code netty}; only
 * {@code cli} depends on it.
 * Code here runs in premain or in an application's first TLS call, so it avoids lambdas, streams
 * and anything it does not need yet.
 */
package dev.mtls.agent;
