package dev.ancla.query;

/**
 * How the retrievers are tuned. {@link #DEFAULTS} holds the values measured in docs/QUALITY.md;
 * the others exist so that {@code ancla eval} can measure alternatives.
 *
 * @param rrfK reciprocal rank fusion's damping constant: a list's rank r adds 1 / (rrfK + r)
 * @param minDepth candidates taken from each retriever, at least
 * @param depthPerResult and at least this many per requested result
 * @param headingBoost weight of a match in the chunk's heading path, relative to its text
 */
public record RetrievalSettings(int rrfK, int minDepth, int depthPerResult, float headingBoost) {

  public static final RetrievalSettings DEFAULTS = new RetrievalSettings(60, 50, 5, 0.5f);

  public RetrievalSettings {
    if (rrfK < 1) {
      throw new IllegalArgumentException("rrfK is " + rrfK + "; expected 1 or more, e.g. 60");
    }
    if (minDepth < 1 || depthPerResult < 1) {
      throw new IllegalArgumentException(
          "the candidate depth is " + minDepth + " / " + depthPerResult
              + " per result; expected 1 or more, e.g. 50 and 5");
    }
    if (!(headingBoost >= 0)) {
      throw new IllegalArgumentException(
          "headingBoost is " + headingBoost + "; expected 0 or more, e.g. 0.5");
    }
  }

  /** Candidates to take from each retriever for a request of k results. */
  int depth(int k) {
    return Math.max(minDepth, k * depthPerResult);
  }

  public RetrievalSettings withRrfK(int value) {
    return new RetrievalSettings(value, minDepth, depthPerResult, headingBoost);
  }

  public RetrievalSettings withMinDepth(int value) {
    return new RetrievalSettings(rrfK, value, depthPerResult, headingBoost);
  }

  public RetrievalSettings withHeadingBoost(float value) {
    return new RetrievalSettings(rrfK, minDepth, depthPerResult, value);
  }
}
