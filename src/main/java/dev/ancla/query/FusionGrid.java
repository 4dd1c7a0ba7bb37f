package dev.ancla.query;

import dev.ancla.config.VectorWeights;
import dev.ancla.eval.EvalQuery;
import dev.ancla.eval.Evaluator;
import dev.ancla.eval.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tuning tool behind docs/QUALITY.md's fusion tables: scores many fusion settings on judged
 * queries while searching each query once. Each retriever's candidates are taken once per query;
 * every {@link Config} then fuses them and collapses chunks to documents exactly as {@link
 * HybridRetriever#search} does with one chunk per document, so its numbers equal {@code ancla
 * eval}'s for the same settings.
 */
public final class FusionGrid {
  /**
   * One setting to score. A list with weight 0 is left out; one list alone keeps its own order.
   *
   * @param name the label in the output
   * @param vector the vector list's weight by the query's language
   */
  public record Config(
      String name,
      Fusion.Method method,
      int rrfK,
      double words,
      double ngrams,
      VectorWeights vector) {
    /**
     * Parses "name method rrfK wordsWeight ngramWeight vectorWeights", e.g. "all rrf 5 1 1 0.3" or
     * "bylang score 5 1 1 es=0.1,en=0.5,other=0.3".
     */
    public static Config parse(String line) {
      String[] f = line.strip().split("\\s+");
      if (f.length != 6) {
        throw new IllegalArgumentException(
            "a grid line is \"" + line + "\"; expected: name method rrfK words ngrams vector");
      }
      return new Config(
          f[0],
          Fusion.Method.parse(f[1]),
          Integer.parseInt(f[2]),
          Double.parseDouble(f[3]),
          Double.parseDouble(f[4]),
          VectorWeights.parse(f[5]));
    }
  }

  private FusionGrid() {}

  /**
   * Prints one tab-separated line per config (name, queries, MRR@k, nDCG@k, recall@k, recall@deep)
   * to {@code out}, and when {@code perQuery} is not null one line per config and query (name, id,
   * reciprocal rank, nDCG).
   */
  public static void run(
      HybridRetriever retriever,
      RetrievalSettings settings,
      List<EvalQuery> queries,
      List<Config> configs,
      int k,
      PrintWriter out,
      PrintWriter perQuery)
      throws IOException {
    int deep = Math.max(Evaluator.DEEP, k);
    int depth = settings.depth(deep);
    var scores = new HashMap<String, List<Metrics.Scores>>();
    retriever.withView(
        view -> {
          HybridRetriever.HitReader read = view::hit;
          for (EvalQuery query : queries) {
            HybridRetriever.Candidates c = retriever.candidates(view, query.query(), depth);
            Map<Integer, SearchHit> cache = new HashMap<>();
            HybridRetriever.HitReader cached =
                candidate ->
                    cache.computeIfAbsent(
                        candidate.doc(),
                        doc -> {
                          try {
                            return read.hit(candidate);
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        });
            for (Config config : configs) {
              var lists = new ArrayList<List<dev.ancla.index.Ranked>>(3);
              var weights = new ArrayList<Double>(3);
              if (config.words() > 0) {
                lists.add(c.words());
                weights.add(config.words());
              }
              if (config.ngrams() > 0) {
                lists.add(c.ngrams());
                weights.add(config.ngrams());
              }
              double vector = config.vector().of(QueryLanguage.detect(query.query()));
              if (vector > 0) {
                lists.add(c.vector());
                weights.add(vector);
              }
              var ranked =
                  lists.size() == 1
                      ? lists.getFirst()
                      : Fusion.fuse(
                          lists,
                          weights.stream().mapToDouble(Double::doubleValue).toArray(),
                          config.method(),
                          config.rrfK());
              List<String> documents =
                  HybridRetriever.hits(cached, ranked, deep, 1, settings.nearDuplicate()).stream()
                      .map(SearchHit::path)
                      .distinct()
                      .toList();
              Metrics.Scores s = Metrics.score(documents, query.relevant(), k, deep);
              scores.computeIfAbsent(config.name(), _ -> new ArrayList<>()).add(s);
              if (perQuery != null) {
                perQuery.printf(
                    Locale.ROOT,
                    "%s\t%s\t%.6f\t%.6f%n",
                    config.name(),
                    query.id(),
                    s.reciprocalRank(),
                    s.ndcg());
              }
            }
          }
          return null;
        });
    for (Config config : configs) {
      Metrics.Summary m = Metrics.mean(scores.get(config.name()));
      out.printf(
          Locale.ROOT,
          "%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f%n",
          config.name(),
          m.queries(),
          m.mrr(),
          m.ndcg(),
          m.recall(),
          m.deepRecall());
    }
  }
}
