package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.Reader;

/**
 * Plain text: paragraphs end at blank lines. A paragraph over {@link BlockCollector#MAX_PARAGRAPH}
 * characters (a text with no blank lines at all) is split at its single line breaks by the
 * collector, so it still yields reasonable paragraphs.
 */
final class PlainTextParser {
  /** A paragraph buffer never grows past this; the collector splits what is handed over. */
  private static final int FLUSH_AT = 64 * 1024;

  private PlainTextParser() {}

  static void parse(Reader reader, BlockCollector out) throws IOException {
    var lines = new LineReader(reader);
    var paragraph = new StringBuilder();
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.isBlank() || paragraph.length() > FLUSH_AT) {
        if (!out.paragraph(paragraph)) return;
        paragraph.setLength(0);
      }
      if (!line.isBlank()) paragraph.append(line).append('\n');
    }
    out.paragraph(paragraph);
  }
}
