package dev.ancla.server;

import dev.ancla.index.CommitInfo;
import dev.ancla.query.Filter;
import dev.ancla.query.SearchHit;
import dev.ancla.query.SearchRequest;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/search?q=&k=&source=&path=&type=}: the best chunks for a query, hybrid (BM25 and
 * vectors), optionally restricted to one source, a path prefix and a file type. The filters run
 * inside the retriever (as Lucene filters), so k results come back whenever k exist. {@code POST
 * /api/search} takes the same in a JSON body, or a query vector instead of the text.
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
    respond(ctx, Optional.of(q), k, hits, start);
  }

  /**
   * {@code POST /api/search} with {@code {"q": ..., "k", "source", "path", "type"}}, the same
   * search as the GET (for queries too long for a URL), or {@code {"vector": [...], ...}}: kNN only
   * with a query vector computed elsewhere, which must have the index's dimension. Same response as
   * the GET, with {@code query} null for a vector.
   */
  void searchByBody(Context ctx) throws Exception {
    SearchBody body = SearchBody.parse(ctx.bodyAsBytes());
    var open = state.require();
    if (body.query().isPresent()) {
      long start = System.nanoTime();
      List<SearchHit> hits =
          open.ancla()
              .retriever()
              .search(SearchRequest.of(body.query().get(), body.k()).withFilter(body.filter()));
      respond(ctx, body.query(), body.k(), hits, start);
      return;
    }
    float[] vector = body.vector().orElseThrow();
    requireIndexDimension(open, vector.length);
    long start = System.nanoTime();
    List<SearchHit> hits =
        open.ancla().retrieverWithoutModel().searchByVector(vector, body.k(), body.filter());
    respond(ctx, Optional.empty(), body.k(), hits, start);
  }

  /** The index's vectors have the dimension its last commit records; a query vector must too. */
  private static void requireIndexDimension(ServerState.Open open, int length) throws IOException {
    var commit = open.ancla().index().lastCommit();
    int dimension = commit.map(CommitInfo::dimension).orElse(0);
    if (dimension == 0) {
      throw ApiError.badRequest(
          "the index holds no vectors yet (nothing has been indexed), so it cannot be searched by"
              + " 'vector'; search with 'q', or retry when /api/status shows documents");
    }
    if (length != dimension) {
      throw ApiError.badRequest(
          "'vector' has "
              + length
              + " numbers; this index's model ("
              + commit.get().modelName()
              + ") makes vectors of "
              + dimension
              + ", so a query vector must have exactly "
              + dimension);
    }
  }

  private void respond(
      Context ctx, Optional<String> query, int k, List<SearchHit> hits, long startNanos) {
    long nanos = System.nanoTime() - startNanos;
    metrics.search().record(nanos, TimeUnit.NANOSECONDS);
    var body = new LinkedHashMap<String, Object>();
    body.put("query", query.orElse(null));
    body.put("k", k);
    body.put("tookMs", nanos / 1_000_000);
    body.put("results", hits.stream().map(SearchHit::fields).toList());
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
}
