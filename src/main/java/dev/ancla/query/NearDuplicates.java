package dev.ancla.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Keeps a result list free of near-identical chunks: the same boilerplate paragraph in many files,
 * or a file and its copy, would otherwise fill the top results (and an answer's context) with one
 * text. A chunk is a near-duplicate of an earlier one when their word sets overlap at least {@code
 * threshold} (Jaccard). Not thread-safe: one instance per result list.
 *
 * <p>Every hit of a search passes here, compared with every hit kept before it, so the word sets
 * are sorted arrays intersected by one merge, and pairs whose sizes alone rule the threshold out
 * are not compared at all: with hash sets this took a quarter of a 50-result search's time.
 */
final class NearDuplicates {
  private final double threshold;
  private final List<String[]> kept = new ArrayList<>();

  /**
   * @param threshold 0 admits everything; 0.9 drops chunks that share 90% of their words
   */
  NearDuplicates(double threshold) {
    this.threshold = threshold;
  }

  /** True, and remembered, when {@code text} is not a near-duplicate of a text admitted before. */
  boolean admit(String text) {
    if (threshold <= 0) {
      return true;
    }
    String[] words = words(text);
    for (String[] other : kept) {
      if (mayReach(words.length, other.length) && jaccard(words, other) >= threshold) {
        return false;
      }
    }
    kept.add(words);
    return true;
  }

  /**
   * Whether sets of these sizes can overlap {@code threshold}: their Jaccard is at most the smaller
   * size over the larger.
   */
  private boolean mayReach(int a, int b) {
    int small = Math.min(a, b);
    int large = Math.max(a, b);
    return large == 0 || small >= threshold * large;
  }

  /** The distinct words of {@code text} (runs of letters and digits, lower case), sorted. */
  static String[] words(String text) {
    var words = new ArrayList<String>();
    int start = -1;
    for (int i = 0; i <= text.length(); i++) {
      boolean wordChar = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
    }
    return words.stream().distinct().sorted().toArray(String[]::new);
  }

  /** Jaccard of two sorted sets of distinct words. */
  static double jaccard(String[] a, String[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1;
    }
    int shared = 0;
    for (int i = 0, j = 0; i < a.length && j < b.length; ) {
      int order = a[i].compareTo(b[j]);
      if (order == 0) {
        shared++;
        i++;
        j++;
      } else if (order < 0) {
        i++;
      } else {
        j++;
      }
    }
    return (double) shared / (a.length + b.length - shared);
  }
}
