package dev.ancla.query;

/**
 * One search.
 *
 * @param query what the user typed
 * @param k how many results, 1 to 1000
 * @param mode which retrievers run
 * @param filter which files may answer
 * @param maxPerDocument at most this many chunks of one file in the results; 0 for no limit. 1
 *     gives one result per document, ranked by its best chunk
 */
public record SearchRequest(String query, int k, Mode mode, Filter filter, int maxPerDocument) {

  public SearchRequest {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException(
          "the query is empty; say what to look for, e.g. \"copias de seguridad\"");
    }
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k is " + k + "; expected 1 to 1000, e.g. 8");
    }
    if (maxPerDocument < 0) {
      throw new IllegalArgumentException(
          "maxPerDocument is " + maxPerDocument + "; expected 0 (no limit) or more, e.g. 2");
    }
    if (mode == null || filter == null) {
      throw new IllegalArgumentException(
          "mode and filter are required; use Mode.HYBRID, Filter.NONE");
    }
  }

  /** A hybrid search over everything, with no limit per document. */
  public static SearchRequest of(String query, int k) {
    return new SearchRequest(query, k, Mode.HYBRID, Filter.NONE, 0);
  }

  public SearchRequest withMode(Mode newMode) {
    return new SearchRequest(query, k, newMode, filter, maxPerDocument);
  }

  public SearchRequest withFilter(Filter newFilter) {
    return new SearchRequest(query, k, mode, newFilter, maxPerDocument);
  }

  public SearchRequest withMaxPerDocument(int max) {
    return new SearchRequest(query, k, mode, filter, max);
  }
}
