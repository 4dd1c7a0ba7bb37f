package dev.ancla.query;

import dev.ancla.embed.Embedder;
import dev.ancla.index.ChunkSearch;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.Legs;
import dev.ancla.index.LuceneChunkSearch;
import dev.ancla.index.Ranked;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.lucene.analysis.Analyzer;

/**
 * BM25 on words, BM25 on character 3-grams and kNN over chunks, fused (ARCHITECTURE.md decision 8,
 * where reciprocal rank fusion was the start: min-max normalized score fusion measured better once
 * the 3-gram list came, docs/QUALITY.md). The lists come from the index's {@link ChunkSearch} (the
 * local Lucene index or a remote engine); fusion and near-duplicate removal happen here, the same
 * for every backend.
 *
 * <p>A {@link SearchRequest} picks the retrievers ({@link Mode}), restricts the files ({@link
 * Filter}) and may cap the chunks per file; a cap of 1 ranks documents by their best chunk, which
 * is what evaluation against per-document judgements needs.
 */
public final class HybridRetriever {
  private final ChunkSearch index;
  private final Optional<Embedder> embedder;
  private final RetrievalSettings settings;

  /**
   * @param embedder the model for query vectors; empty for BM25 only (no model, or an index built
   *     with another model)
   */
  public HybridRetriever(IndexStore store, Analyzer analyzer, Optional<Embedder> embedder) {
    this(store, analyzer, embedder, RetrievalSettings.DEFAULTS);
  }

  /** On the local index, whose {@code analyzer} analyzes the query. */
  public HybridRetriever(
      IndexStore store,
      Analyzer analyzer,
      Optional<Embedder> embedder,
      RetrievalSettings settings) {
    this(new LuceneChunkSearch(store, analyzer), embedder, settings);
  }

  public HybridRetriever(
      ChunkSearch index, Optional<Embedder> embedder, RetrievalSettings settings) {
    this.index = index;
    this.embedder = embedder;
    this.settings = settings;
  }

  /** Whether {@link Mode#VECTOR} is available: false when the index's model is not at hand. */
  public boolean hasVectors() {
    return embedder.isPresent();
  }

  /** A hybrid search over every file, chunks of one file not capped. */
  public List<SearchHit> search(String query, int k) throws IOException {
    return search(SearchRequest.of(query, k));
  }

  /** A hybrid search over the chunks of the files that pass {@code filter}. */
  public List<SearchHit> search(String query, int k, Filter filter) throws IOException {
    return search(SearchRequest.of(query, k).withFilter(filter));
  }

  /**
   * Runs {@code request}. {@link Mode#HYBRID} without query vectors fuses the lexical lists alone;
   * {@link Mode#VECTOR} without them fails, since it would silently return nothing.
   */
  public List<SearchHit> search(SearchRequest request) throws IOException {
    Mode mode = request.mode();
    if (mode == Mode.VECTOR && embedder.isEmpty()) {
      throw new IllegalStateException(
          "vector search needs the model the index was built with, and it is not configured; "
              + "search with mode bm25 or hybrid, or set ANCLA_MODEL_DIR to that model");
    }
    int depth = settings.depth(request.k());
    Filter filter = request.filter();
    // hybrid weighs the vectors by how well the model serves the query's language; at weight 0
    // the vector leg does not run at all
    double vectorWeight = mode.words() ? settings.vectorWeight(request.query()) : 1.0;
    boolean semantic = mode.vectors() && embedder.isPresent() && vectorWeight > 0;
    return index.withView(
        view -> {
          // The legs run side by side as the index finds best (ChunkSearch.View#search): hybrid
          // latency is then about the slowest leg, not their sum.
          Optional<Supplier<float[]>> vector =
              semantic
                  ? Optional.of(() -> embedder.orElseThrow().embedQuery(request.query()))
                  : Optional.empty();
          List<List<Ranked>> rankings =
              view.search(
                  new Legs(
                      request.query(),
                      filter,
                      depth,
                      settings,
                      mode.words(),
                      mode.ngrams(),
                      vector));
          var weights = new ArrayList<Double>(3);
          if (mode.words()) {
            weights.add(1.0);
          }
          if (mode.ngrams()) {
            weights.add(mode.words() ? settings.ngramWeight() : 1.0);
          }
          if (semantic) {
            weights.add(weights.isEmpty() ? 1.0 : vectorWeight);
          }
          // one list keeps its own scores (BM25 or cosine); more are fused
          List<Ranked> ranked =
              rankings.size() == 1
                  ? rankings.getFirst()
                  : Fusion.fuse(
                      rankings,
                      weights.stream().mapToDouble(Double::doubleValue).toArray(),
                      settings.fusion(),
                      settings.rrfK());
          return hits(
              view::hit, ranked, request.k(), request.maxPerDocument(), settings.nearDuplicate());
        });
  }

  /**
   * For tuning fusion without searching again ({@link FusionGrid}): a query's candidate lists, best
   * first, unfused. The vector list is empty without a model.
   */
  record Candidates(List<Ranked> words, List<Ranked> ngrams, List<Ranked> vector) {}

  /** Runs {@code work} on one view, for {@link #candidates}. */
  <T> T withView(ChunkSearch.Work<T> work) throws IOException {
    return index.withView(work);
  }

  /** Every retriever's candidates for {@code query}, over all chunks. */
  Candidates candidates(ChunkSearch.View view, String query, int depth) throws IOException {
    Filter chunks = Filter.NONE;
    List<Ranked> vector =
        embedder.isPresent()
            ? view.vectors(embedder.get().embedQuery(query), chunks, depth)
            : List.of();
    return new Candidates(
        view.words(query, chunks, depth, settings),
        view.ngrams(query, chunks, depth, settings),
        vector);
  }

  /**
   * kNN only, for a query vector computed elsewhere (benchmarks against stores that take
   * precomputed vectors): the same graph search, oversampling and exact rescoring as {@link
   * #search}. Scores are the exact dot products.
   */
  public List<SearchHit> searchByVector(float[] vector, int k) throws IOException {
    return searchByVector(vector, k, Filter.NONE);
  }

  /**
   * As {@link #searchByVector(float[], int)}, over the chunks of the files that pass {@code
   * filter}. The vector must have the index's dimension and, since vectors are compared by dot
   * product, unit length; the caller checks both.
   */
  public List<SearchHit> searchByVector(float[] vector, int k, Filter filter) throws IOException {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k is " + k + "; expected 1 to 1000, e.g. 8");
    }
    int depth = settings.depth(k);
    return index.withView(view -> hits(view::hit, view.vectors(vector, filter, depth), k, 0, 0));
  }

  /**
   * The first k chunks of {@code ranked}, skipping near-duplicates of better chunks and a file's
   * chunks beyond maxPerDocument.
   */
  static List<SearchHit> hits(
      HitReader read, List<Ranked> ranked, int k, int maxPerDocument, double nearDuplicate)
      throws IOException {
    var hits = new ArrayList<SearchHit>(Math.min(k, ranked.size()));
    var perDocument = new HashMap<String, Integer>();
    var duplicates = new NearDuplicates(nearDuplicate);
    for (Ranked candidate : ranked) {
      if (hits.size() == k) {
        break;
      }
      SearchHit hit = read.hit(candidate);
      // by item, not path: two Drive files may share a name and folder, and stay two results
      String file = IndexSchema.docKey(hit.source(), hit.itemId());
      if (maxPerDocument > 0 && perDocument.getOrDefault(file, 0) >= maxPerDocument) {
        continue;
      }
      if (!duplicates.admit(hit.text())) {
        continue;
      }
      perDocument.merge(file, 1, Integer::sum);
      hits.add(hit);
    }
    return hits;
  }

  /** A candidate as a hit with the candidate's score. */
  @FunctionalInterface
  interface HitReader {
    SearchHit hit(Ranked candidate) throws IOException;
  }
}
