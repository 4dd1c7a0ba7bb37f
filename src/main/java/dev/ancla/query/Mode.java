package dev.ancla.query;

import java.util.Locale;

/**
 * Which retrievers a search runs. An index written before the character n-gram fields existed
 * (schema 1) has none until {@code ancla reindex}: n-gram search then finds nothing there.
 */
public enum Mode {
  /** Full-text only: BM25 on the stemmed words of the chunk text and its heading path. */
  BM25(true, false, false),
  /** Vectors only: kNN on the quantized graph, rescored exactly. */
  VECTOR(false, false, true),
  /** BM25 on words, BM25 on character n-grams and vectors, fused (docs/QUALITY.md). */
  HYBRID(true, true, true),
  /** BM25 on character n-grams of the text and heading path only. */
  NGRAM(false, true, false);

  private final boolean words;
  private final boolean ngrams;
  private final boolean vectors;

  Mode(boolean words, boolean ngrams, boolean vectors) {
    this.words = words;
    this.ngrams = ngrams;
    this.vectors = vectors;
  }

  /** Whether BM25 on (stemmed) words runs. */
  public boolean words() {
    return words;
  }

  /** Whether BM25 on character n-grams runs. */
  public boolean ngrams() {
    return ngrams;
  }

  /** Whether the vector search runs. */
  public boolean vectors() {
    return vectors;
  }

  /** The name users type: "bm25", "ngram", "vector", "hybrid". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a label such as "hybrid"; case does not matter. */
  public static Mode parse(String label) {
    for (Mode mode : values()) {
      if (mode.label().equalsIgnoreCase(label.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "the mode is \"" + label + "\"; expected bm25, ngram, vector or hybrid, e.g. hybrid");
  }
}
