package dev.ancla.answer;

import dev.ancla.query.SearchHit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A chunk an answer cites as {@code [n]}.
 *
 * @param n the number the answer uses, from 1, in the order of first reference
 * @param page 1-based page, or 0 when the format has none
 * @param text the chunk's text
 * @param link where the citation points when the original is outside Ancla (a Drive file), or ""
 */
public record Citation(
    int n,
    String source,
    String path,
    int chunk,
    int page,
    String heading,
    String text,
    String link) {

  public Citation(
      int n, String source, String path, int chunk, int page, String heading, String text) {
    this(n, source, path, chunk, page, heading, text, "");
  }

  static Citation of(int n, SearchHit hit) {
    return new Citation(
        n,
        hit.source(),
        hit.path(),
        hit.chunk(),
        hit.page(),
        hit.heading(),
        hit.text(),
        hit.link());
  }

  /** The JSON fields of /api/ask and {@code ancla ask --json}. */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("n", n);
    m.put("source", source);
    m.put("path", path);
    m.put("chunk", chunk);
    m.put("page", page);
    m.put("heading", heading);
    m.put("text", text);
    if (!link.isEmpty()) {
      m.put("link", link);
    }
    return m;
  }

  /** "guia.pdf, page 3 #2": where a reader finds it. */
  public String where() {
    return path + (page > 0 ? ", page " + page : "") + " #" + chunk;
  }
}
