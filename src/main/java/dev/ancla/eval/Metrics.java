package dev.ancla.eval;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ranking metrics with binary relevance, as defined in ../shared/eval/README.md and computed by its
 * bm25_baseline.py. Pure functions of a ranking and the relevant set.
 *
 * <p>A ranking lists distinct documents, best first. A query with no relevant document in the top k
 * scores 0 on every metric.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * One query's scores.
   *
   * @param reciprocalRank 1 / rank of the first relevant document within the top k, else 0
   * @param ndcg DCG of the top k (gain 1 / log2(rank + 1) per relevant document) over the ideal DCG
   *     for min(relevant, k) documents
   * @param recall share of the relevant documents in the top k
   * @param deepRecall share of the relevant documents in the top {@code deep}
   * @param hitAt1 1 when the first document is relevant
   * @param hit 1 when any of the top k is relevant
   */
  public record Scores(
      double reciprocalRank,
      double ndcg,
      double recall,
      double deepRecall,
      double hitAt1,
      double hit) {}

  /**
   * Scores {@code ranking} at cut-off {@code k}, and recall also at {@code deep}.
   *
   * @throws IllegalArgumentException when relevant is empty, k < 1, deep < k, or the ranking
   *     repeats a document (collapse chunks to documents first)
   */
  public static Scores score(List<String> ranking, Collection<String> relevant, int k, int deep) {
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException(
          "a query has no relevant document; every query needs at least one, e.g. [\"a.html\"]");
    }
    if (k < 1 || deep < k) {
      throw new IllegalArgumentException(
          "cut-offs are k=" + k + ", deep=" + deep + "; expected 1 <= k <= deep, e.g. 10 and 50");
    }
    if (new HashSet<>(ranking).size() != ranking.size()) {
      throw new IllegalArgumentException(
          "the ranking repeats a document: " + ranking + "; keep each document's best rank only");
    }
    Set<String> wanted = Set.copyOf(relevant);
    double reciprocalRank = 0;
    double dcg = 0;
    int found = 0;
    int foundDeep = 0;
    for (int i = 0; i < Math.min(deep, ranking.size()); i++) {
      if (!wanted.contains(ranking.get(i))) {
        continue;
      }
      foundDeep++;
      if (i < k) {
        found++;
        dcg += gain(i + 1);
        if (reciprocalRank == 0) {
          reciprocalRank = 1.0 / (i + 1);
        }
      }
    }
    double ideal = 0;
    for (int rank = 1; rank <= Math.min(wanted.size(), k); rank++) {
      ideal += gain(rank);
    }
    boolean first = !ranking.isEmpty() && wanted.contains(ranking.getFirst());
    return new Scores(
        reciprocalRank,
        dcg / ideal,
        (double) found / wanted.size(),
        (double) foundDeep / wanted.size(),
        first ? 1 : 0,
        found > 0 ? 1 : 0);
  }

  private static double gain(int rank) {
    return 1 / (Math.log(rank + 1) / Math.log(2));
  }

  /**
   * The means of many queries' scores.
   *
   * @param queries how many queries were averaged
   */
  public record Summary(
      int queries,
      double mrr,
      double ndcg,
      double recall,
      double deepRecall,
      double hitAt1,
      double hit) {}

  /** Averages; every metric of an empty list is 0. */
  public static Summary mean(Collection<Scores> scores) {
    int n = scores.size();
    if (n == 0) {
      return new Summary(0, 0, 0, 0, 0, 0, 0);
    }
    double rr = 0, ndcg = 0, recall = 0, deep = 0, hit1 = 0, hit = 0;
    for (Scores s : scores) {
      rr += s.reciprocalRank();
      ndcg += s.ndcg();
      recall += s.recall();
      deep += s.deepRecall();
      hit1 += s.hitAt1();
      hit += s.hit();
    }
    return new Summary(n, rr / n, ndcg / n, recall / n, deep / n, hit1 / n, hit / n);
  }
}
