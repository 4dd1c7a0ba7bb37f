package dev.ancla.query;

import java.util.Locale;

/**
 * Which retrievers a search runs. NGRAM, LEXICAL and ALL are experimental (branch wip-ngram): they
 * need an index with the character n-gram fields.
 */
public enum Mode {
  /** Full-text only: BM25 on the chunk text and its heading path. */
  BM25(true, false, false),
  /** Vectors only: kNN on the quantized graph, rescored exactly. */
  VECTOR(false, false, true),
  /** BM25 and vectors, fused. */
  HYBRID(true, false, true),
  /** BM25 on character n-grams of the text and heading path only. */
  NGRAM(false, true, false),
  /** BM25 on words and on character n-grams, fused. */
  LEXICAL(true, true, false),
  /** Words, n-grams and vectors, fused. */
  ALL(true, true, true);

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

  /** The name users type: "bm25", "vector", "hybrid". */
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
        "the mode is \""
            + label
            + "\"; expected bm25, vector, hybrid, ngram, lexical or all, e.g. hybrid");
  }
}
