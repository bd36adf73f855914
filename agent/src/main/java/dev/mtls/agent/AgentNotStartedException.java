package dev.mtls.agent;

/** The agent refused to start before changing anything in the JVM; the message is the reason. */
final class AgentNotStartedException extends Exception {
    private static final long serialVersionUID = 1L;

    AgentNotStartedException(String message) {
        super(message, null, false, false);
    }
}
