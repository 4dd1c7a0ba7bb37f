package dev.ancla.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps a result list free of near-identical chunks: the same boilerplate paragraph in many files,
 * or a file and its copy, would otherwise fill the top results (and an answer's context) with one
 * text. A chunk is a near-duplicate of an earlier one when their word sets overlap at least {@code
 * threshold} (Jaccard). Not thread-safe: one instance per result list.
 */
final class NearDuplicates {
  private final double threshold;
  private final List<Set<String>> kept = new ArrayList<>();

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
    Set<String> words = words(text);
    for (Set<String> other : kept) {
      if (jaccard(words, other) >= threshold) {
        return false;
      }
    }
    kept.add(words);
    return true;
  }

  static Set<String> words(String text) {
    var words = new HashSet<String>();
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    int shared = 0;
    for (String word : small) {
      if (large.contains(word)) {
        shared++;
      }
    }
    return (double) shared / (a.size() + b.size() - shared);
  }
}
