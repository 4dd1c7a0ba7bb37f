package dev.ancla.ingest.chunk;

/**
 * A piece of a document small enough to embed, with what a citation needs.
 *
 * @param ordinal 0-based position in its document
 * @param text the text that is embedded and shown
 * @param headingPath enclosing headings joined by " > ", or "" when there are none
 * @param page 1-based page of the chunk's first block, 0 when the format has no pages
 */
public record Chunk(int ordinal, String text, String headingPath, int page) {}
