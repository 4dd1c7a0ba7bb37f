package dev.ancla.index;

/**
 * One candidate of a ranked list from {@link ChunkSearch}: a handle for the chunk and its score.
 *
 * @param doc the chunk's handle, valid only inside the {@link ChunkSearch.View} that returned it
 *     (the local index uses Lucene's doc id); equal handles in one view are the same chunk
 * @param score higher is better, comparable only within one list
 */
public record Ranked(int doc, float score) {}
