package dev.ancla.query;

import dev.ancla.index.Ranked;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

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
 * <p>A chunk's fused score is the sum of its contributions.
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
   * @return every chunk of every list once, best first, with its fused score; ties go to the lower
   *     doc id
   */
  static List<Ranked> fuse(List<List<Ranked>> rankings, double[] weights, Method method, int rrfK) {
    if (weights.length != rankings.size()) {
      throw new IllegalArgumentException(
          rankings.size() + " rankings but " + weights.length + " weights; give one weight each");
    }
    var scores = new LinkedHashMap<Integer, Double>();
    for (int list = 0; list < rankings.size(); list++) {
      List<Ranked> ranking = rankings.get(list);
      double[] contributions = contributions(ranking, weights[list], method, rrfK);
      for (int i = 0; i < ranking.size(); i++) {
        scores.merge(ranking.get(i).doc(), contributions[i], Double::sum);
      }
    }
    var fused = new ArrayList<Ranked>(scores.size());
    scores.forEach((doc, score) -> fused.add(new Ranked(doc, (float) score.doubleValue())));
    fused.sort(
        Comparator.<Ranked>comparingDouble(d -> scores.get(d.doc()))
            .reversed()
            .thenComparingInt(Ranked::doc));
    return fused;
  }

  private static double[] contributions(
      List<Ranked> ranking, double weight, Method method, int rrfK) {
    double[] c = new double[ranking.size()];
    if (method == Method.RRF) {
      for (int i = 0; i < c.length; i++) {
        c[i] = weight / (rrfK + i + 1);
      }
      return c;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Ranked d : ranking) {
      min = Math.min(min, d.score());
      max = Math.max(max, d.score());
    }
    for (int i = 0; i < c.length; i++) {
      // a list whose scores are all equal says nothing about order: every chunk gets the weight
      c[i] = weight * (max > min ? (ranking.get(i).score() - min) / (max - min) : 1);
    }
    return c;
  }
}
