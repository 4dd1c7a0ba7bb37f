package dev.ancla.ingest.parse;

import java.util.List;

/**
 * The text of one document in reading order, with its structure.
 *
 * @param title the document's title when the format has one (metadata or first heading), else ""
 * @param mediaType the detected media type, e.g. {@code application/pdf}
 * @param blocks headings and paragraphs in reading order; never empty for a parsed document
 * @param truncated true when the text was cut at the configured character limit
 */
public record ParsedDocument(
    String title, String mediaType, List<Block> blocks, boolean truncated) {
  public ParsedDocument {
    blocks = List.copyOf(blocks);
  }

  /** Number of characters of text in all blocks. */
  public long characters() {
    return blocks.stream().mapToLong(b -> b.text().length()).sum();
  }
}
