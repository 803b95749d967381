package io.hotpatch.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header row and left-aligned columns sized to their content. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(Object... cells) {
    String[] row = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      row[i] = String.valueOf(cells[i]);
    }
    rows.add(row);
    return this;
  }

  List<String> lines() {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(String.format("%-" + (widths[i] + 3) + "s", rows.get(r)[i]));
      }
      lines.add(line.toString().stripTrailing());
      if (r == 0) {
        lines.add("-".repeat(lines.get(0).length()));
      }
    }
    return lines;
  }
}
