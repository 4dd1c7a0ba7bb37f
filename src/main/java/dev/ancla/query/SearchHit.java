package dev.ancla.query;

/**
 * One chunk found by a search, with what a citation needs.
 *
 * @param path the file's path relative to its source
 * @param chunk the chunk's ordinal in its file
 * @param score fused score; higher is better, comparable only within one result list
 * @param heading enclosing headings, or ""
 * @param page 1-based page, or 0 when the format has none
 */
public record SearchHit(
    String source, String path, int chunk, double score, String text, String heading, int page) {}
