package dev.ancla.server;

import dev.ancla.query.Filter;
import dev.ancla.query.SearchHit;
import dev.ancla.query.SearchRequest;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/search?q=&k=&source=&path=&type=}: the best chunks for a query, hybrid (BM25 and
 * vectors), optionally restricted to one source, a path prefix and a file type. The filters run
 * inside the retriever (as Lucene filters), so k results come back whenever k exist.
 */
final class SearchRoutes {
  static final int DEFAULT_K = 8;
  static final int MAX_K = 50;
  static final int MAX_QUERY_CHARS = 1_000;
  private static final String EXAMPLE = "/api/search?q=copias+de+seguridad&k=8";
  private static final Set<String> PARAMS = Set.of("q", "k", "source", "path", "type");

  private final ServerState state;
  private final Metrics metrics;

  SearchRoutes(ServerState state, Metrics metrics) {
    this.state = state;
    this.metrics = metrics;
  }

  void search(Context ctx) throws Exception {
    Params.allowOnly(ctx, PARAMS, EXAMPLE);
    String q = Params.required(ctx, "q", MAX_QUERY_CHARS, EXAMPLE);
    int k = Params.integer(ctx, "k", 1, MAX_K, DEFAULT_K, EXAMPLE);
    var filter =
        new Filter(
            Params.optional(ctx, "source", 200, "/api/search?q=backup&source=samples"),
            Params.optional(ctx, "path", 1_000, "/api/search?q=backup&path=manuales/2024/"),
            type(ctx));
    var open = state.require();
    long start = System.nanoTime();
    List<SearchHit> hits =
        open.ancla().retriever().search(SearchRequest.of(q, k).withFilter(filter));
    long nanos = System.nanoTime() - start;
    metrics.search().record(nanos, TimeUnit.NANOSECONDS);
    var body = new LinkedHashMap<String, Object>();
    body.put("query", q);
    body.put("k", k);
    body.put("tookMs", nanos / 1_000_000);
    body.put("results", hits.stream().map(SearchRoutes::hit).toList());
    ctx.json(body);
  }

  private static Optional<String> type(Context ctx) {
    return Params.optional(ctx, "type", 16, "/api/search?q=backup&type=pdf")
        .map(
            t -> {
              String ext = t.startsWith(".") ? t.substring(1) : t;
              if (!ext.matches("[A-Za-z0-9]{1,15}")) {
                throw ApiError.badRequest(
                    "'type' is \""
                        + Params.abbreviate(t)
                        + "\"; expected a file extension of"
                        + " letters and digits, e.g. /api/search?q=backup&type=pdf");
              }
              return ext;
            });
  }

  /** The fields of {@code search --json}. */
  static Map<String, Object> hit(SearchHit h) {
    var m = new LinkedHashMap<String, Object>();
    m.put("path", h.path());
    m.put("source", h.source());
    m.put("chunk", h.chunk());
    m.put("score", h.score());
    m.put("text", h.text());
    m.put("heading", h.heading());
    m.put("page", h.page());
    return m;
  }
}
