package dev.mtls.snapshot;


/** Where routing managers read the profiles in force. Must be cheap: it is called per handshake. */
@FunctionalInterface
public interface ProfileSource {
    ProfileSnapshot current();
}
