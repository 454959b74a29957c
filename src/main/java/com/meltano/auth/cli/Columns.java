package com.meltano.auth.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows of words in columns two spaces apart, each as wide as its widest cell (the last never padded). */
final class Columns {

    private Columns() {
    }

    static void print(PrintWriter out, List<List<String>> rows) {
        List<Integer> widths = new ArrayList<>();
        for (List<String> row : rows) {
            for (int i = 0; i < row.size() - 1; i++) {
                int width = row.get(i).codePointCount(0, row.get(i).length());
                if (widths.size() <= i) {
                    widths.add(width);
                } else {
                    widths.set(i, Math.max(widths.get(i), width));
                }
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                line.append(cell);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths.get(i) - cell.codePointCount(0, cell.length()) + 2));
                }
            }
            out.println(line);
        }
    }
}
