package dev.ancla.ingest.parse;

/**
 * One unit of document structure.
 *
 * @param kind heading or paragraph (list items, table rows and slide text are paragraphs)
 * @param level heading level 1-6 for headings, 0 for paragraphs
 * @param text the text, whitespace-normalized, never blank
 * @param page 1-based page (PDF page, slide number) where the format has pages, else 0
 */
public record Block(Kind kind, int level, String text, int page) {
  public enum Kind {
    HEADING,
    PARAGRAPH
  }

  public static Block heading(int level, String text, int page) {
    return new Block(Kind.HEADING, level, text, page);
  }

  public static Block paragraph(String text, int page) {
    return new Block(Kind.PARAGRAPH, 0, text, page);
  }
}
