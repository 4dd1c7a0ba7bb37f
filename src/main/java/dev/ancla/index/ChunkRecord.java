package dev.ancla.index;

/**
 * A chunk as stored: its text, where it sits for citations, and its vector.
 *
 * @param textHash SHA-256 of exactly the text that was embedded; equal hashes share vectors
 */
public record ChunkRecord(
    int ordinal, String text, String headingPath, int page, String textHash, float[] vector) {}
