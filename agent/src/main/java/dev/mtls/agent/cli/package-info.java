/**
 * The operator's command line, {@code java -jar mtls-agent.jar COMMAND}: {@code check},
 * {@code which}, {@code probe} and {@code attach}. Each loads a profile file the way the agent
 * does (through {@code snapshot}) and prints what an operator needs, with exit status 0, 1 or 2
 * for scripts. The top of the agent module: it may use every other package, none uses it.
 */
package dev.mtls.agent.cli;
