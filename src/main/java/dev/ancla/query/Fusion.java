package dev.ancla.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.lucene.search.ScoreDoc;

/**
 * Merges ranked chunk lists into one. Each list gives a chunk a contribution, weighted per list:
 *
 * <ul>
 *   <li>{@link Method#RRF}, reciprocal rank fusion: weight / (k + rank), rank from 1. Needs no
 *       score calibration, which is why it is the default.
 *   <li>{@link Method#SCORE}: weight × the list's score scaled to [0, 1] by the list's minimum and
 *       maximum.
 * </ul>
 *
 * <p>By chunk, a chunk's fused score is the sum of its contributions. By document, a document's
 * score is the sum over lists of its best contribution in each (for RRF: weight / (k + the
 * document's rank among documents)), so two lists agree on a document even when they pick
 * different chunks of it; chunks are then ordered by their document's score, then by their own.
 */
public final class Fusion {
  /** How a list's ranking turns into a contribution. */
  public enum Method {
    RRF,
    SCORE;

    public static Method parse(String label) {
      for (Method m : values()) {
        if (m.name().equalsIgnoreCase(label.strip())) return m;
      }
      throw new IllegalArgumentException(
          "the fusion is \"" + label + "\"; expected rrf or score, e.g. rrf");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private Fusion() {}

  /**
   * @param weights one per ranking
   * @param documentOf the document of a chunk, by doc id; used when byDocument
   * @return every chunk of every list once, best first; ScoreDoc.score is the fused score (the
   *     document's when byDocument)
   */
  static List<ScoreDoc> fuse(
      List<List<ScoreDoc>> rankings,
      double[] weights,
      Method method,
      int rrfK,
      boolean byDocument,
      IntFunction<String> documentOf) {
    if (weights.length != rankings.size()) {
      throw new IllegalArgumentException(
          rankings.size() + " rankings but " + weights.length + " weights; give one weight each");
    }
    var chunkScores = new LinkedHashMap<Integer, Double>();
    var documentScores = new HashMap<String, Double>();
    var documents = new HashMap<Integer, String>();
    for (int list = 0; list < rankings.size(); list++) {
      List<ScoreDoc> ranking = rankings.get(list);
      double[] contributions = contributions(ranking, weights[list], method, rrfK);
      var seen = new HashMap<String, Integer>(); // document -> its rank among documents, from 1
      for (int i = 0; i < ranking.size(); i++) {
        int doc = ranking.get(i).doc;
        chunkScores.merge(doc, contributions[i], Double::sum);
        if (byDocument) {
          String document = documents.computeIfAbsent(doc, documentOf::apply);
          if (seen.putIfAbsent(document, seen.size() + 1) == null) {
            // best chunk of this document in this list
            double contribution =
                method == Method.RRF
                    ? weights[list] / (rrfK + seen.get(document))
                    : contributions[i];
            documentScores.merge(document, contribution, Double::sum);
          }
        }
      }
    }
    var fused = new ArrayList<ScoreDoc>(chunkScores.size());
    Comparator<Integer> order;
    if (byDocument) {
      order =
          Comparator.<Integer>comparingDouble(d -> documentScores.get(documents.get(d)))
              .thenComparingDouble(chunkScores::get)
              .reversed()
              .thenComparing(Comparator.naturalOrder());
    } else {
      order =
          Comparator.<Integer>comparingDouble(chunkScores::get)
              .reversed()
              .thenComparing(Comparator.naturalOrder());
    }
    for (int doc : chunkScores.keySet().stream().sorted(order).toList()) {
      double score = byDocument ? documentScores.get(documents.get(doc)) : chunkScores.get(doc);
      fused.add(new ScoreDoc(doc, (float) score));
    }
    return fused;
  }

  private static double[] contributions(
      List<ScoreDoc> ranking, double weight, Method method, int rrfK) {
    double[] c = new double[ranking.size()];
    if (method == Method.RRF) {
      for (int i = 0; i < c.length; i++) {
        c[i] = weight / (rrfK + i + 1);
      }
      return c;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (ScoreDoc d : ranking) {
      min = Math.min(min, d.score);
      max = Math.max(max, d.score);
    }
    for (int i = 0; i < c.length; i++) {
      // a list whose scores are all equal says nothing about order: every chunk gets the weight
      c[i] = weight * (max > min ? (ranking.get(i).score - min) / (max - min) : 1);
    }
    return c;
  }
}
