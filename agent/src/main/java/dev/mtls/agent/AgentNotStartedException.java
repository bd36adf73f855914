package dev.mtls.agent;

import java.util.List;

/**
 * The agent refused to start before changing anything in the JVM; the message is the reason, and
 * the problems (already printed in that JVM) are kept for {@code attach} to show the operator.
 */
final class AgentNotStartedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    AgentNotStartedException(String message) {
        this(message, List.of());
    }

    AgentNotStartedException(String message, List<String> problems) {
        super(message, null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** The reason, then each problem on a line of its own. */
    String details() {
        StringBuilder details = new StringBuilder(getMessage());
        for (String problem : problems) {
            details.append('\n').append(problem);
        }
        return details.toString();
    }
}
