package dev.mtls.reload;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Keeps every line the watcher logs, as an operator's log file would. */
final class RecordingLog implements ReloadLog {
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void log(Level level, String message) {
        lines.add(level + " " + message);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Lines at INFO and above: what an operator sees by default. */
    synchronized List<String> visible() {
        return lines.stream().filter(line -> !line.startsWith("DEBUG") && !line.startsWith("TRACE"))
                .collect(Collectors.toList());
    }

    synchronized long count(String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    synchronized void clear() {
        lines.clear();
    }

    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }
}
