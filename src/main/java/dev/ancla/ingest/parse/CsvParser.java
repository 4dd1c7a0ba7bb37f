package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Comma-, semicolon- or tab-separated values (RFC 4180 quoting): one paragraph per row, cells
 * joined with {@code " | "} like table rows from other formats. The delimiter is the most frequent
 * of the three in the first line.
 */
final class CsvParser {
  /** A quoted cell longer than this is taken as a stray quote, not a multi-line cell. */
  private static final int MAX_QUOTED = 64 * 1024;

  private CsvParser() {}

  static void parse(Reader reader, BlockCollector out) throws IOException {
    var lines = new LineReader(reader);
    String line = lines.readLine();
    if (line == null) return;
    char delimiter = delimiter(line);
    List<String> cells = new ArrayList<>();
    var cell = new StringBuilder();
    boolean quoted = false;
    for (; line != null; line = lines.readLine()) {
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quoted) {
          if (c != '"') {
            cell.append(c);
          } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cell.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else if (c == '"' && cell.isEmpty()) {
          quoted = true;
        } else if (c == delimiter) {
          cells.add(cell.toString());
          cell.setLength(0);
        } else {
          cell.append(c);
        }
      }
      if (quoted && cell.length() < MAX_QUOTED) {
        cell.append('\n'); // the quoted cell goes on in the next line
        continue;
      }
      cells.add(cell.toString());
      if (!row(cells, out)) return;
      cells.clear();
      cell.setLength(0);
      quoted = false;
    }
    if (!cell.isEmpty()) cells.add(cell.toString());
    row(cells, out);
  }

  private static boolean row(List<String> cells, BlockCollector out) {
    List<String> texts = new ArrayList<>(cells.stream().map(BlockCollector::normalize).toList());
    while (!texts.isEmpty() && texts.getLast().isEmpty()) texts.removeLast();
    return out.paragraph(String.join(" | ", texts));
  }

  private static char delimiter(String firstLine) {
    char best = ',';
    long bestCount = 0;
    for (char candidate : new char[] {',', ';', '\t'}) {
      long count = firstLine.chars().filter(c -> c == candidate).count();
      if (count > bestCount) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }
}
