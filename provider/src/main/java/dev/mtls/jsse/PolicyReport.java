package dev.mtls.jsse;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What each check of a profile's upstream policy found in one handshake, in the order made, for
 * {@code probe}: the negotiated version and suite against {@code tls}, the server name and pin
 * that matched (or that none did), the revocation status of each certificate and its source. A
 * check that failed is the last line, with the handshake's message. Handshakes no profile covers,
 * and profiles without such checks, leave it empty.
 */
public final class PolicyReport {
    private final List<Line> lines = new ArrayList<>();

    /** One check's result, e.g. {@code serverNames} and {@code matched 'payments.internal' (DNS)}. */
    public static final class Line {
        private final String check;
        private final String result;
        private final boolean passed;

        Line(String check, String result, boolean passed) {
            this.check = check;
            this.result = result;
            this.passed = passed;
        }

        public String check() {
            return check;
        }

        public String result() {
            return result;
        }

        public boolean passed() {
            return passed;
        }

        @Override
        public String toString() {
            return check + ": " + result;
        }
    }

    void passed(String check, String result) {
        lines.add(new Line(check, result, true));
    }

    void failed(String check, String result) {
        lines.add(new Line(check, result, false));
    }

    public List<Line> lines() {
        return Collections.unmodifiableList(lines);
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}
