package dev.ancla.eval;

import dev.ancla.query.Filter;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.Mode;
import dev.ancla.query.SearchHit;
import dev.ancla.query.SearchRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Runs judged queries through each retrieval mode and scores the rankings. The modes run one after
 * the other for each query, so a change of load on the machine affects them alike.
 */
public final class Evaluator {
  /** Recall is also reported at this depth (or at k, when k is larger). */
  public static final int DEEP = 50;

  /** Ranks documents for a query: distinct paths relative to the source, best first. */
  @FunctionalInterface
  public interface DocumentSearch {
    List<String> rank(String query, Mode mode, int depth) throws IOException;
  }

  /**
   * Documents as {@code retriever} ranks them: each file at the rank of its best chunk (relevance
   * is judged per document), identified by its path relative to its source.
   */
  public static DocumentSearch documents(HybridRetriever retriever) {
    return (query, mode, depth) ->
        retriever.search(new SearchRequest(query, depth, mode, Filter.NONE, 1)).stream()
            .map(SearchHit::path)
            .distinct() // two sources may hold the same path
            .toList();
  }

  private final DocumentSearch search;
  private final LongSupplier nanoTime;

  /**
   * @param nanoTime the clock for latencies, e.g. System::nanoTime
   */
  public Evaluator(DocumentSearch search, LongSupplier nanoTime) {
    this.search = search;
    this.nanoTime = nanoTime;
  }

  /**
   * Scores every query in every mode.
   *
   * @param warmup this many queries run first in each mode, untimed and unscored, so that latency
   *     is measured on a warm JVM
   * @param progress told how many queries are done, after each one
   */
  public EvalReport run(
      List<EvalQuery> queries, List<Mode> modes, int k, int warmup, IntConsumer progress)
      throws IOException {
    if (queries.isEmpty() || modes.isEmpty()) {
      throw new IllegalArgumentException("nothing to evaluate: give at least one query and mode");
    }
    int deep = Math.max(DEEP, k);
    for (EvalQuery query : queries.subList(0, Math.min(warmup, queries.size()))) {
      for (Mode mode : modes) {
        search.rank(query.query(), mode, deep);
      }
    }
    var scores = new EnumMap<Mode, List<Metrics.Scores>>(Mode.class);
    var nanos = new EnumMap<Mode, long[]>(Mode.class);
    for (Mode mode : modes) {
      scores.put(mode, new ArrayList<>(queries.size()));
      nanos.put(mode, new long[queries.size()]);
    }
    for (int i = 0; i < queries.size(); i++) {
      EvalQuery query = queries.get(i);
      for (Mode mode : modes) {
        long start = nanoTime.getAsLong();
        List<String> ranking = search.rank(query.query(), mode, deep);
        nanos.get(mode)[i] = nanoTime.getAsLong() - start;
        scores.get(mode).add(Metrics.score(ranking, query.relevant(), k, deep));
      }
      progress.accept(i + 1);
    }
    var variants = new LinkedHashMap<Mode, EvalReport.Variant>();
    for (Mode mode : modes) {
      List<Metrics.Scores> s = scores.get(mode);
      var slices = new LinkedHashMap<String, Map<String, Metrics.Summary>>();
      slices.put("lang", slice(queries, s, q -> q.lang()));
      slices.put("format", slice(queries, s, q -> Optional.of(q.format())));
      slices.put("app", slice(queries, s, EvalQuery::app));
      slices.values().removeIf(Map::isEmpty);
      variants.put(
          mode,
          new EvalReport.Variant(
              Metrics.mean(s),
              percentileMillis(nanos.get(mode), 50),
              percentileMillis(nanos.get(mode), 95),
              slices));
    }
    return new EvalReport(queries.size(), k, deep, variants);
  }

  /** Means per value of a query attribute; queries without the attribute are left out. */
  private static Map<String, Metrics.Summary> slice(
      List<EvalQuery> queries,
      List<Metrics.Scores> scores,
      Function<EvalQuery, Optional<String>> key) {
    var groups = new TreeMap<String, List<Metrics.Scores>>();
    for (int i = 0; i < queries.size(); i++) {
      int index = i;
      key.apply(queries.get(i))
          .ifPresent(k -> groups.computeIfAbsent(k, _ -> new ArrayList<>()).add(scores.get(index)));
    }
    var means = new LinkedHashMap<String, Metrics.Summary>();
    groups.forEach((k, v) -> means.put(k, Metrics.mean(v)));
    return means;
  }

  /** The nearest-rank percentile, in milliseconds. */
  static double percentileMillis(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
