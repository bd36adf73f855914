package dev.mtls.reload;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the lines of the first load until it has published, then passes them and every later
 * line on. Why: the first load may run inside an application's first TLS call, and a logging
 * backend whose own start makes a TLS call must find the profiles published rather than wait for
 * them. Held lines also tell strict mode and {@code attach} what went wrong.
 */
final class HeldLog implements ReloadLog {
    private final ReloadLog target;
    /** Null once released. */
    private List<Line> held = new ArrayList<>();

    HeldLog(ReloadLog target) {
        this.target = target;
    }

    @Override
    public void log(Level level, String message) {
        synchronized (this) {
            if (held != null) {
                held.add(new Line(level, message));
                return;
            }
        }
        target.log(level, message);
    }

    /** The error lines held so far, in order. */
    synchronized List<String> errors() {
        List<String> errors = new ArrayList<>();
        if (held != null) {
            for (Line line : held) {
                if (line.level == Level.ERROR) {
                    errors.add(line.message);
                }
            }
        }
        return errors;
    }

    /** Logs what was held; from now on lines go straight through. */
    void release() {
        List<Line> lines;
        synchronized (this) {
            lines = held;
            held = null;
        }
        if (lines != null) {
            for (Line line : lines) {
                target.log(line.level, line.message);
            }
        }
    }

    private static final class Line {
        final Level level;
        final String message;

        Line(Level level, String message) {
            this.level = level;
            this.message = message;
        }
    }
}
