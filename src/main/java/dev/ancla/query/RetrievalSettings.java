package dev.ancla.query;

import dev.ancla.config.VectorWeights;

/**
 * How the retrievers are tuned. {@link #DEFAULTS} holds the values measured in docs/QUALITY.md; the
 * others exist so that {@code ancla eval} can measure alternatives.
 *
 * @param rrfK reciprocal rank fusion's damping constant: a list's rank r adds 1 / (rrfK + r)
 * @param minDepth candidates taken from each retriever, at least
 * @param depthPerResult and at least this many per requested result
 * @param headingBoost weight of a match in the chunk's heading path, relative to its text
 * @param fusion how the lists merge
 * @param vectorWeights the vector list's weight in fusion (BM25's on words is 1) by the query's
 *     language: a property of the model (ANCLA_VECTOR_WEIGHTS)
 * @param ngramWeight the character n-gram list's weight in fusion in hybrid search
 * @param bm25K1 BM25's term frequency saturation; applied at search time, no re-indexing
 * @param bm25B BM25's length normalization, 0 (none) to 1
 * @param nearDuplicate a hit whose words overlap an earlier hit's this much (Jaccard, 0 to 1) is
 *     dropped as a near-duplicate (boilerplate repeated across files); 0 keeps every hit
 * @param phraseBoost weight, against the words' BM25, of the query's words found near each other in
 *     a chunk's text (a sloppy phrase); 0 for none
 * @param phraseSlop how far apart, in positions, the query's words may be for {@code phraseBoost}
 */
public record RetrievalSettings(
    int rrfK,
    int minDepth,
    int depthPerResult,
    float headingBoost,
    Fusion.Method fusion,
    VectorWeights vectorWeights,
    double ngramWeight,
    float bm25K1,
    float bm25B,
    double nearDuplicate,
    float phraseBoost,
    int phraseSlop) {

  /**
   * Measured on the public Spanish set (docs/QUALITY.md): tuned on every fifth query, confirmed on
   * the other four fifths. b = 0.3 instead of Lucene's 0.75 was the largest gain for BM25 (+0.04
   * MRR). Hybrid fuses three lists by min-max normalized scores, which beat RRF at every k tried:
   * BM25 on words and BM25 on character 3-grams at equal weight (they disagree on a third of the
   * queries, and together gain +0.016 MRR over words alone), and the vectors at the weights the
   * model declares for the query's language (the bundled English model's, {@link
   * VectorWeights#BUNDLED}, unless the configuration names another model's: {@code
   * withVectorWeights}). RRF's k = 5 is for {@code --fusion rrf}.
   */
  public static final RetrievalSettings DEFAULTS =
      new RetrievalSettings(
          5, 50, 5, 0.3f, Fusion.Method.SCORE, VectorWeights.BUNDLED, 1.0, 1.2f, 0.3f, 0.9, 0f, 8);

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
    if (vectorWeights == null) {
      throw new IllegalArgumentException("vectorWeights is required, e.g. VectorWeights.BUNDLED");
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
    if (!(phraseBoost >= 0) || phraseSlop < 0) {
      throw new IllegalArgumentException(
          "the phrase boost is "
              + phraseBoost
              + " with slop "
              + phraseSlop
              + "; expected 0 or more for both, e.g. 0.5 and 8");
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
    return edit(e -> e.rrfK = value);
  }

  public RetrievalSettings withMinDepth(int value) {
    return edit(e -> e.minDepth = value);
  }

  public RetrievalSettings withHeadingBoost(float value) {
    return edit(e -> e.headingBoost = value);
  }

  public RetrievalSettings withFusion(Fusion.Method value) {
    return edit(e -> e.fusion = value);
  }

  /** The same vector weight for every query language. */
  public RetrievalSettings withVectorWeight(double value) {
    return withVectorWeights(VectorWeights.uniform(value));
  }

  public RetrievalSettings withVectorWeights(VectorWeights value) {
    return edit(e -> e.vectorWeights = value);
  }

  /** The vector list's weight for {@code query}, by the language it is written in. */
  public double vectorWeight(String query) {
    return vectorWeights.of(QueryLanguage.detect(query));
  }

  public RetrievalSettings withNgramWeight(double value) {
    return edit(e -> e.ngramWeight = value);
  }

  public RetrievalSettings withBm25(float k1, float b) {
    return edit(
        e -> {
          e.bm25K1 = k1;
          e.bm25B = b;
        });
  }

  public RetrievalSettings withNearDuplicate(double value) {
    return edit(e -> e.nearDuplicate = value);
  }

  public RetrievalSettings withPhrase(float boost, int slop) {
    return edit(
        e -> {
          e.phraseBoost = boost;
          e.phraseSlop = slop;
        });
  }

  /** A copy with {@code change} applied, checked as any new settings are. */
  private RetrievalSettings edit(java.util.function.Consumer<Editable> change) {
    var e = new Editable(this);
    change.accept(e);
    return new RetrievalSettings(
        e.rrfK,
        e.minDepth,
        e.depthPerResult,
        e.headingBoost,
        e.fusion,
        e.vectorWeights,
        e.ngramWeight,
        e.bm25K1,
        e.bm25B,
        e.nearDuplicate,
        e.phraseBoost,
        e.phraseSlop);
  }

  /** The components, writable, for {@link #edit}: one place lists them all. */
  private static final class Editable {
    int rrfK;
    int minDepth;
    int depthPerResult;
    float headingBoost;
    Fusion.Method fusion;
    VectorWeights vectorWeights;
    double ngramWeight;
    float bm25K1;
    float bm25B;
    double nearDuplicate;
    float phraseBoost;
    int phraseSlop;

    Editable(RetrievalSettings s) {
      rrfK = s.rrfK;
      minDepth = s.minDepth;
      depthPerResult = s.depthPerResult;
      headingBoost = s.headingBoost;
      fusion = s.fusion;
      vectorWeights = s.vectorWeights;
      ngramWeight = s.ngramWeight;
      bm25K1 = s.bm25K1;
      bm25B = s.bm25B;
      nearDuplicate = s.nearDuplicate;
      phraseBoost = s.phraseBoost;
      phraseSlop = s.phraseSlop;
    }
  }

  /**
   * One line for reports, e.g. "rrf k=60, vector weight 1.0, depth 50 (5 per result), heading boost
   * 0.5".
   */
  public String describe() {
    return (fusion == Fusion.Method.RRF ? "rrf k=" + rrfK : "score")
        + ", vector weight "
        + vectorWeights.describe()
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
        + bm25B
        + (phraseBoost > 0 ? ", phrase boost " + phraseBoost + " slop " + phraseSlop : "");
  }
}
