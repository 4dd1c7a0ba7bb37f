package dev.ancla.query;

/**
 * One chunk found by a search, with what a citation needs.
 *
 * @param path the file's path relative to its source
 * @param chunk the chunk's ordinal in its file
 * @param score higher is better, comparable only within one result list: the fused score, or BM25's
 *     or the cosine's when one retriever ran alone
 * @param heading enclosing headings, or ""
 * @param page 1-based page, or 0 when the format has none
 * @param link where a citation points when the original is outside Ancla (a Drive file), or "" when
 *     Ancla serves it through /api/files
 * @param itemId the item's id inside its source: what tells two files apart (Drive allows two files
 *     of one name in one folder); the path for folder files
 */
public record SearchHit(
    String source,
    String path,
    int chunk,
    double score,
    String text,
    String heading,
    int page,
    String link,
    String itemId) {

  /** A hit whose item id is its path (a folder file). */
  public SearchHit(
      String source,
      String path,
      int chunk,
      double score,
      String text,
      String heading,
      int page,
      String link) {
    this(source, path, chunk, score, text, heading, page, link, path);
  }

  /** A hit whose original Ancla serves itself. */
  public SearchHit(
      String source, String path, int chunk, double score, String text, String heading, int page) {
    this(source, path, chunk, score, text, heading, page, "");
  }

  /** This hit with another text (a passage cut to fit a prompt), everything else kept. */
  public SearchHit withText(String newText) {
    return new SearchHit(source, path, chunk, score, newText, heading, page, link, itemId);
  }

  /** The fields of a result of {@code search --json} and of the HTTP search API. */
  public java.util.Map<String, Object> fields() {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("path", path);
    m.put("source", source);
    m.put("chunk", chunk);
    m.put("score", score);
    m.put("text", text);
    m.put("heading", heading);
    m.put("page", page);
    if (!link.isEmpty()) {
      m.put("link", link);
    }
    return m;
  }
}
