package dev.ancla.embed;

/**
 * How a model's per-token vectors become one vector per text. It must match how the model was
 * trained.
 */
public enum Pooling {
  /**
   * Average of the vectors of all real tokens (attention mask 1); sentence-transformers models such
   * as MiniLM.
   */
  MEAN,
  /** The vector of the first token ([CLS]); e.g. BGE models. */
  CLS;

  /**
   * Pools one text's token vectors.
   *
   * @param tokenVectors {@code tokens * dimension} floats, token-major, as the model returns them
   * @param mask the attention mask, one entry per token
   * @return a new, not yet normalized vector of {@code dimension} floats
   */
  float[] pool(float[] tokenVectors, long[] mask, int dimension) {
    var pooled = new float[dimension];
    switch (this) {
      case CLS -> System.arraycopy(tokenVectors, 0, pooled, 0, dimension);
      case MEAN -> {
        int counted = 0;
        for (int t = 0; t < mask.length; t++) {
          if (mask[t] == 0) continue;
          counted++;
          int offset = t * dimension;
          for (int d = 0; d < dimension; d++) pooled[d] += tokenVectors[offset + d];
        }
        for (int d = 0; d < dimension; d++) pooled[d] /= Math.max(counted, 1);
      }
    }
    return pooled;
  }
}
