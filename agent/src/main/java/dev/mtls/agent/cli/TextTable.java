package dev.mtls.agent.cli;

import dev.mtls.log.Printable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with columns as wide as their widest cell: readable, and easy to grep. */
final class TextTable {
    private final List<String[]> rows = new ArrayList<>();

    TextTable(String... header) {
        rows.add(header);
    }

    /** Cells come from profile files (names, paths, hosts): escaped so none can break a row or the terminal. */
    void add(String... cells) {
        String[] printable = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            printable[i] = Printable.escape(cells[i]);
        }
        rows.add(printable);
    }

    void print(PrintStream out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }
}
