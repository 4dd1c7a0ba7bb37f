package dev.ancla.query;

import java.util.Locale;

/** Which retrievers a search runs. */
public enum Mode {
  /** Full-text only: BM25 on the chunk text and its heading path. */
  BM25,
  /** Vectors only: kNN on the quantized graph, rescored exactly. */
  VECTOR,
  /** Both, fused. */
  HYBRID;

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
        "the mode is \"" + label + "\"; expected bm25, vector or hybrid, e.g. hybrid");
  }
}
