package dev.ancla.query;

/**
 * How the retrievers are tuned. {@link #DEFAULTS} holds the values measured in docs/QUALITY.md; the
 * others exist so that {@code ancla eval} can measure alternatives.
 *
 * @param rrfK reciprocal rank fusion's damping constant: a list's rank r adds 1 / (rrfK + r)
 * @param minDepth candidates taken from each retriever, at least
 * @param depthPerResult and at least this many per requested result
 * @param headingBoost weight of a match in the chunk's heading path, relative to its text
 * @param fusion how the lists merge
 * @param vectorWeight the vector list's weight in fusion; BM25's (on words) is 1
 * @param ngramWeight the character n-gram list's weight in fusion in hybrid search
 * @param bm25K1 BM25's term frequency saturation; applied at search time, no re-indexing
 * @param bm25B BM25's length normalization, 0 (none) to 1
 * @param nearDuplicate a hit whose words overlap an earlier hit's this much (Jaccard, 0 to 1) is
 *     dropped as a near-duplicate (boilerplate repeated across files); 0 keeps every hit
 */
public record RetrievalSettings(
    int rrfK,
    int minDepth,
    int depthPerResult,
    float headingBoost,
    Fusion.Method fusion,
    double vectorWeight,
    double ngramWeight,
    float bm25K1,
    float bm25B,
    double nearDuplicate) {

  /**
   * Measured on the public Spanish set (docs/QUALITY.md): tuned on every fifth query, confirmed on
   * the other four fifths. b = 0.3 instead of Lucene's 0.75 was the largest gain for BM25 (+0.04
   * MRR). Hybrid fuses three lists by min-max normalized scores, which beat RRF at every k tried:
   * BM25 on words and BM25 on character 3-grams at equal weight (they disagree on a third of the
   * queries, and together gain +0.016 MRR over words alone), and the bundled English model's
   * vectors, weak on Spanish, at 0.1 (+0.003 more). RRF's k = 5 is for {@code --fusion rrf}.
   */
  public static final RetrievalSettings DEFAULTS =
      new RetrievalSettings(5, 50, 5, 0.3f, Fusion.Method.SCORE, 0.1, 1.0, 1.2f, 0.3f, 0.9);

  public RetrievalSettings {
    if (rrfK < 1) {
      throw new IllegalArgumentException("rrfK is " + rrfK + "; expected 1 or more, e.g. 60");
    }
    if (minDepth < 1 || depthPerResult < 1) {
      throw new IllegalArgumentException(
          "the candidate depth is "
              + minDepth
              + " / "
              + depthPerResult
              + " per result; expected 1 or more, e.g. 50 and 5");
    }
    if (!(headingBoost >= 0)) {
      throw new IllegalArgumentException(
          "headingBoost is " + headingBoost + "; expected 0 or more, e.g. 0.5");
    }
    if (!(vectorWeight >= 0)) {
      throw new IllegalArgumentException(
          "vectorWeight is " + vectorWeight + "; expected 0 or more, e.g. 1");
    }
    if (!(ngramWeight >= 0)) {
      throw new IllegalArgumentException(
          "ngramWeight is " + ngramWeight + "; expected 0 or more, e.g. 1");
    }
    if (!(bm25K1 >= 0) || !(bm25B >= 0 && bm25B <= 1)) {
      throw new IllegalArgumentException(
          "BM25 is k1="
              + bm25K1
              + ", b="
              + bm25B
              + "; expected k1 >= 0 and 0 <= b <= 1, e.g. 1.2 and 0.75");
    }
    if (!(nearDuplicate >= 0 && nearDuplicate <= 1)) {
      throw new IllegalArgumentException(
          "nearDuplicate is " + nearDuplicate + "; expected 0 (off) to 1, e.g. 0.9");
    }
    if (fusion == null) {
      throw new IllegalArgumentException("fusion is required, e.g. Fusion.Method.RRF");
    }
  }

  /** Candidates to take from each retriever for a request of k results. */
  int depth(int k) {
    return Math.max(minDepth, k * depthPerResult);
  }

  public RetrievalSettings withRrfK(int value) {
    return new RetrievalSettings(
        value,
        minDepth,
        depthPerResult,
        headingBoost,
        fusion,
        vectorWeight,
        ngramWeight,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withMinDepth(int value) {
    return new RetrievalSettings(
        rrfK,
        value,
        depthPerResult,
        headingBoost,
        fusion,
        vectorWeight,
        ngramWeight,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withHeadingBoost(float value) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        value,
        fusion,
        vectorWeight,
        ngramWeight,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withFusion(Fusion.Method value) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        headingBoost,
        value,
        vectorWeight,
        ngramWeight,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withVectorWeight(double value) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        headingBoost,
        fusion,
        value,
        ngramWeight,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withNgramWeight(double value) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        headingBoost,
        fusion,
        vectorWeight,
        value,
        bm25K1,
        bm25B,
        nearDuplicate);
  }

  public RetrievalSettings withBm25(float k1, float b) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        headingBoost,
        fusion,
        vectorWeight,
        ngramWeight,
        k1,
        b,
        nearDuplicate);
  }

  /**
   * One line for reports, e.g. "rrf k=60, vector weight 1.0, depth 50 (5 per result), heading boost
   * 0.5".
   */
  public String describe() {
    return (fusion == Fusion.Method.RRF ? "rrf k=" + rrfK : "score")
        + ", vector weight "
        + vectorWeight
        + ", ngram weight "
        + ngramWeight
        + ", depth "
        + minDepth
        + " ("
        + depthPerResult
        + " per result)"
        + ", heading boost "
        + headingBoost
        + ", bm25 k1="
        + bm25K1
        + " b="
        + bm25B;
  }

  public RetrievalSettings withNearDuplicate(double value) {
    return new RetrievalSettings(
        rrfK,
        minDepth,
        depthPerResult,
        headingBoost,
        fusion,
        vectorWeight,
        ngramWeight,
        bm25K1,
        bm25B,
        value);
  }
}
