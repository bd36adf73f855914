package dev.mtls.examples.clients;

/**
 * The lines the client applications print, for the matrix tests to parse:
 * {@code RESULT <target> OK <detail>}, {@code RESULT <target> FAILED <exception chain>}, and
 * {@code INFO <key> <value>} for facts such as which SSL engine a library used. One line each,
 * whatever the exception message holds.
 */
public final class ClientResults {
    private ClientResults() {
    }

    public static void ok(String target, String detail) {
        System.out.println("RESULT " + target + " OK " + oneLine(detail));
    }

    public static void failed(String target, Throwable failure) {
        StringBuilder chain = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            chain.append(" <- ").append(cause);
        }
        System.out.println("RESULT " + target + " FAILED " + oneLine(chain.toString()));
    }

    public static void info(String key, String value) {
        System.out.println("INFO " + key + " " + oneLine(value));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
