package dev.mtls.snapshot;

/**
 * The load of the profile file that the first reader of {@link ActiveProfiles} runs: the agent's
 * (registered as it installs itself, at the first class only TLS loads), or provider-only mode's. In two steps, so that nobody waits on a log
 * line: {@link #load()} publishes, then whoever waited is released, then {@link #report()} logs.
 * A logging backend whose own start makes a TLS call therefore finds the profiles in force.
 */
public interface FirstUseLoad {
    /** Loads the file and publishes what loaded; logs nothing. Never throws. */
    void load();

    /** Logs what {@link #load()} found and starts what runs after it (the reload timer, JMX). Never throws. */
    void report();
}
