package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.Reader;

/**
 * Plain text: paragraphs end at blank lines. A paragraph over {@link BlockCollector#MAX_PARAGRAPH}
 * characters (a text with no blank lines at all) is split at its single line breaks by the
 * collector, so it still yields reasonable paragraphs.
 *
 * <p>A first paragraph that looks like a title (see {@link #isTitle}) becomes a level-1 heading: it
 * is the document's title and the heading root of its chunks, as a page title is for HTML, so its
 * words match the heading field for every chunk, not only the first.
 */
final class PlainTextParser {
  /** A paragraph buffer never grows past this; the collector splits what is handed over. */
  private static final int FLUSH_AT = 64 * 1024;

  /** The longest first line taken as a title; a longer one is a sentence or a paragraph. */
  static final int MAX_TITLE_CHARS = 120;

  private PlainTextParser() {}

  static void parse(Reader reader, BlockCollector out) throws IOException {
    var lines = new LineReader(reader);
    var paragraph = new StringBuilder();
    boolean first = true;
    for (String line; (line = lines.readLine()) != null; ) {
      if (line.isBlank() || paragraph.length() > FLUSH_AT) {
        if (!paragraph.isEmpty() && first) {
          first = false;
          if (isTitle(paragraph)) {
            if (!out.heading(1, paragraph)) return;
            paragraph.setLength(0);
            continue;
          }
        }
        if (!out.paragraph(paragraph)) return;
        paragraph.setLength(0);
      }
      if (!line.isBlank()) paragraph.append(line).append('\n');
    }
    // a file of one paragraph is its text, not a title with nothing under it
    out.paragraph(paragraph);
  }

  /**
   * A single line of at most {@link #MAX_TITLE_CHARS} characters, followed by a blank line, that
   * does not end like a sentence or a lead-in (. ! ? : ; ,).
   */
  static boolean isTitle(CharSequence paragraph) {
    String text = paragraph.toString().strip();
    if (text.isEmpty() || text.length() > MAX_TITLE_CHARS || text.indexOf('\n') >= 0) {
      return false;
    }
    char last = text.charAt(text.length() - 1);
    return ".!?:;,".indexOf(last) < 0;
  }
}
