package dev.ancla.query;

import dev.ancla.embed.Embedder;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.StoredVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.QueryBuilder;

/**
 * BM25 on words, BM25 on character 3-grams and kNN over chunks, fused (ARCHITECTURE.md decision 8,
 * where reciprocal rank fusion was the start: min-max normalized score fusion measured better once
 * the 3-gram list came, docs/QUALITY.md). kNN runs on the 8-bit quantized graph with oversampling,
 * then rescores the candidates with the full float vectors, which keeps recall near exact search at
 * a fraction of the memory.
 *
 * <p>A {@link SearchRequest} picks the retrievers ({@link Mode}), restricts the files ({@link
 * Filter}) and may cap the chunks per file; a cap of 1 ranks documents by their best chunk, which
 * is what evaluation against per-document judgements needs.
 */
public final class HybridRetriever {
  private final IndexStore store;
  private final Analyzer analyzer;
  private final Optional<Embedder> embedder;
  private final RetrievalSettings settings;

  /**
   * @param embedder the model for query vectors; empty for BM25 only (no model, or an index built
   *     with another model)
   */
  public HybridRetriever(IndexStore store, Analyzer analyzer, Optional<Embedder> embedder) {
    this(store, analyzer, embedder, RetrievalSettings.DEFAULTS);
  }

  public HybridRetriever(
      IndexStore store,
      Analyzer analyzer,
      Optional<Embedder> embedder,
      RetrievalSettings settings) {
    this.store = store;
    this.analyzer = analyzer;
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
    Query filter = filter(request.filter());
    // hybrid weighs the vectors by how well the model serves the query's language; at weight 0
    // the vector leg does not run at all
    double vectorWeight = mode.words() ? settings.vectorWeight(request.query()) : 1.0;
    boolean semantic = mode.vectors() && embedder.isPresent() && vectorWeight > 0;
    return store.search(
        searcher -> {
          // The vector leg (query embedding, a model run of about a millisecond, then the graph
          // search and rescoring) runs on its own thread while this one searches the lexical
          // fields: hybrid latency is then about the slower side, not their sum.
          Optional<CompletableFuture<List<ScoreDoc>>> vectors =
              semantic
                  ? Optional.of(
                      vectorLeg(searcher, embedder.orElseThrow(), request.query(), filter, depth))
                  : Optional.empty();
          var rankings = new ArrayList<List<ScoreDoc>>(3);
          var weights = new ArrayList<Double>(3);
          try {
            if (mode.words()) {
              rankings.add(lexical(searcher, request.query(), filter, depth));
              weights.add(1.0);
            }
            if (mode.ngrams()) {
              rankings.add(ngrams(searcher, request.query(), filter, depth));
              weights.add(mode.words() ? settings.ngramWeight() : 1.0);
            }
          } finally {
            // the leg reads this searcher's segments, which are released when this returns; its
            // failure, if any, is reported below, after the lexical side's
            vectors.ifPresent(leg -> leg.exceptionally(failure -> List.of()).join());
          }
          if (vectors.isPresent()) {
            rankings.add(join(vectors.get()));
            weights.add(rankings.size() == 1 ? 1.0 : vectorWeight);
          }
          // one list keeps its own scores (BM25 or cosine); more are fused
          List<ScoreDoc> ranked =
              rankings.size() == 1
                  ? rankings.getFirst()
                  : Fusion.fuse(
                      rankings,
                      weights.stream().mapToDouble(Double::doubleValue).toArray(),
                      settings.fusion(),
                      settings.rrfK());
          return hits(
              reader(searcher.storedFields()),
              ranked,
              request.k(),
              request.maxPerDocument(),
              settings.nearDuplicate());
        });
  }

  /**
   * For tuning fusion without searching again ({@link FusionGrid}): a query's candidate lists, best
   * first, unfused. The vector list is empty without a model.
   */
  record Candidates(List<ScoreDoc> words, List<ScoreDoc> ngrams, List<ScoreDoc> vector) {}

  /** Runs {@code work} on one searcher, for {@link #candidates}. */
  <T> T withSearcher(IndexStore.SearchWork<T> work) throws IOException {
    return store.search(work);
  }

  /** Every retriever's candidates for {@code query}, over all chunks. */
  Candidates candidates(IndexSearcher searcher, String query, int depth) throws IOException {
    Query chunks = filter(Filter.NONE);
    List<ScoreDoc> vector =
        embedder.isPresent()
            ? semantic(searcher, embedder.get().embedQuery(query), chunks, depth)
            : List.of();
    return new Candidates(
        lexical(searcher, query, chunks, depth), ngrams(searcher, query, chunks, depth), vector);
  }

  /** Embeds the query and searches the graph, on a thread of its own. */
  private static CompletableFuture<List<ScoreDoc>> vectorLeg(
      IndexSearcher searcher, Embedder embedder, String query, Query filter, int depth) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return semantic(searcher, embedder.embedQuery(query), filter, depth);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        // a platform thread: ONNX Runtime runs native code on the thread's own stack, and
        // creating one costs tens of microseconds
        runnable -> Thread.ofPlatform().daemon(true).name("ancla-vector-leg").start(runnable));
  }

  /** The vector leg's result, with the model's or the index's own exception if it failed. */
  private static List<ScoreDoc> join(CompletableFuture<List<ScoreDoc>> leg) throws IOException {
    try {
      return leg.join();
    } catch (CompletionException e) {
      switch (e.getCause()) {
        case UncheckedIOException io -> throw io.getCause();
        case RuntimeException r -> throw r;
        case Error err -> throw err;
        case null, default -> throw new IOException("the vector search failed", e.getCause());
      }
    }
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
    Query chunks = filter(filter);
    return store.search(
        searcher ->
            hits(
                reader(searcher.storedFields()),
                semantic(searcher, vector, chunks, depth),
                k,
                0,
                0));
  }

  /** BM25 on the stemmed words of the text and heading path. */
  private List<ScoreDoc> lexical(IndexSearcher searcher, String query, Query filter, int depth)
      throws IOException {
    var builder = new QueryBuilder(analyzer);
    return textAndHeading(
        searcher,
        withPhrase(builder, builder.createBooleanQuery(IndexSchema.TEXT, query), query),
        builder.createBooleanQuery(IndexSchema.HEADING, query),
        filter,
        depth);
  }

  /**
   * {@code words} with, when the settings ask for it, a bonus for chunks where the query's words
   * stand near each other (a sloppy phrase): the chunk that says "recortar imágenes" above one that
   * has the two words pages apart.
   */
  private Query withPhrase(QueryBuilder builder, Query words, String query) {
    if (words == null || settings.phraseBoost() <= 0) {
      return words;
    }
    Query phrase = builder.createPhraseQuery(IndexSchema.TEXT, query, settings.phraseSlop());
    if (!(phrase instanceof PhraseQuery) && !(phrase instanceof MultiPhraseQuery)) {
      return words; // one word: nothing to be near
    }
    return new BooleanQuery.Builder()
        .add(words, Occur.MUST)
        .add(new BoostQuery(phrase, settings.phraseBoost()), Occur.SHOULD)
        .build();
  }

  /**
   * BM25 on the character n-gram fields: every distinct n-gram of the query is one optional clause
   * on the text and one on the heading path (at the heading boost), weighted by how often the query
   * has it. (Lucene's QueryBuilder would turn the n-grams of one word, which share a position, into
   * a single synonym query.) The clauses sit in one flat query, which scores as the sum of a text
   * query and a heading query would, but lets Lucene skip chunks that cannot reach the top across
   * all of them: nested, this list took a quarter longer.
   */
  private List<ScoreDoc> ngrams(IndexSearcher searcher, String query, Query filter, int depth)
      throws IOException {
    Map<String, Integer> grams = ngrams(query);
    if (grams.isEmpty()) {
      return List.of();
    }
    var clauses = new BooleanQuery.Builder();
    int room = IndexSearcher.getMaxClauseCount() / 2; // a text and a heading clause per gram
    grams.entrySet().stream()
        .limit(room)
        .forEach(
            gram -> {
              float weight = gram.getValue();
              clauses.add(gramClause(IndexSchema.TEXT_NGRAM, gram.getKey(), weight), Occur.SHOULD);
              if (settings.headingBoost() > 0) {
                clauses.add(
                    gramClause(
                        IndexSchema.HEADING_NGRAM, gram.getKey(), weight * settings.headingBoost()),
                    Occur.SHOULD);
              }
            });
    Query restricted =
        new BooleanQuery.Builder()
            .add(clauses.build(), Occur.MUST)
            .add(filter, Occur.FILTER)
            .build();
    return List.of(bm25(searcher).search(restricted, depth).scoreDocs);
  }

  private static Query gramClause(String field, String gram, float weight) {
    Query term = new TermQuery(new Term(field, gram));
    return weight == 1 ? term : new BoostQuery(term, weight);
  }

  /** The query's distinct n-grams (the analyzer of the n-gram fields) and how often each occurs. */
  private Map<String, Integer> ngrams(String query) throws IOException {
    var counts = new LinkedHashMap<String, Integer>();
    try (TokenStream stream = analyzer.tokenStream(IndexSchema.TEXT_NGRAM, query)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      stream.end();
    }
    return counts;
  }

  /**
   * The chunks that match {@code text}, scored with heading matches added at the heading boost;
   * none when the query had nothing to match (only stop words).
   */
  private List<ScoreDoc> textAndHeading(
      IndexSearcher searcher, Query text, Query heading, Query filter, int depth)
      throws IOException {
    if (text == null) {
      return List.of();
    }
    var either = new BooleanQuery.Builder().add(text, Occur.SHOULD);
    if (heading != null && settings.headingBoost() > 0) {
      either.add(new BoostQuery(heading, settings.headingBoost()), Occur.SHOULD);
    }
    Query restricted =
        new BooleanQuery.Builder()
            .add(either.build(), Occur.MUST)
            .add(filter, Occur.FILTER)
            .build();
    return List.of(bm25(searcher).search(restricted, depth).scoreDocs);
  }

  /** The searcher with the configured BM25; the index stores lengths, so k1 and b are free. */
  private IndexSearcher bm25(IndexSearcher searcher) {
    if (settings.bm25K1() == 1.2f && settings.bm25B() == 0.75f) {
      return searcher; // Lucene's default similarity
    }
    // a new IndexSearcher per query costs a few objects; the reader is shared
    var tuned = new IndexSearcher(searcher.getIndexReader());
    tuned.setSimilarity(new BM25Similarity(settings.bm25K1(), settings.bm25B()));
    return tuned;
  }

  private static List<ScoreDoc> semantic(
      IndexSearcher searcher, float[] vector, Query filter, int depth) throws IOException {
    // The filter stays even when it only says "chunks" (only chunks carry vectors): without one,
    // Lucene searches a multi-segment index with a smaller k per segment, and on the evaluation
    // index (many segments) vector MRR@10 fell from 0.28 to 0.11 on some query ranges.
    var query = new KnnFloatVectorQuery(IndexSchema.VECTOR, vector, depth, filter);
    ScoreDoc[] approximate = searcher.search(query, depth).scoreDocs;
    return rescore(searcher.getIndexReader(), vector, approximate);
  }

  /** Chunks only, and only those of the files the filter lets through. */
  static Query filter(Filter filter) {
    var all =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK)), Occur.FILTER);
    filter
        .source()
        .ifPresent(s -> all.add(new TermQuery(new Term(IndexSchema.SOURCE, s)), Occur.FILTER));
    filter
        .pathPrefix()
        .ifPresent(p -> all.add(new PrefixQuery(new Term(IndexSchema.PATH, p)), Occur.FILTER));
    filter
        .extension()
        .ifPresent(e -> all.add(new TermQuery(new Term(IndexSchema.EXTENSION, e)), Occur.FILTER));
    return all.build();
  }

  /** Orders the quantized graph's candidates by their exact similarity. */
  private static List<ScoreDoc> rescore(IndexReader reader, float[] vector, ScoreDoc[] candidates)
      throws IOException {
    var exact = new ArrayList<ScoreDoc>(candidates.length);
    int[] ids = new int[candidates.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = candidates[i].doc;
    }
    float[][] stored = StoredVectors.byDocIds(reader, ids);
    for (int i = 0; i < candidates.length; i++) {
      float score =
          stored[i] != null
              ? VectorSimilarityFunction.DOT_PRODUCT.compare(vector, stored[i])
              : candidates[i].score;
      exact.add(new ScoreDoc(candidates[i].doc, score));
    }
    exact.sort(BY_SCORE);
    return exact;
  }

  private static final Comparator<ScoreDoc> BY_SCORE =
      Comparator.<ScoreDoc>comparingDouble(d -> d.score).reversed().thenComparingInt(d -> d.doc);

  /**
   * The first k chunks of {@code ranked}, skipping near-duplicates of better chunks and a file's
   * chunks beyond maxPerDocument.
   */
  static List<SearchHit> hits(
      HitReader read, List<ScoreDoc> ranked, int k, int maxPerDocument, double nearDuplicate)
      throws IOException {
    var hits = new ArrayList<SearchHit>(Math.min(k, ranked.size()));
    var perDocument = new HashMap<String, Integer>();
    var duplicates = new NearDuplicates(nearDuplicate);
    for (ScoreDoc candidate : ranked) {
      if (hits.size() == k) {
        break;
      }
      SearchHit hit = read.hit(candidate);
      String file = IndexSchema.docKey(hit.source(), hit.path());
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

  static HitReader reader(StoredFields stored) {
    return candidate -> toHit(stored.document(candidate.doc), candidate.score);
  }

  /** A candidate's stored fields as a hit with the candidate's score. */
  @FunctionalInterface
  interface HitReader {
    SearchHit hit(ScoreDoc candidate) throws IOException;
  }

  static SearchHit toHit(Document doc, double score) {
    var page = doc.getField(IndexSchema.PAGE);
    var ordinal = doc.getField(IndexSchema.ORDINAL);
    String heading = doc.get(IndexSchema.HEADING);
    return new SearchHit(
        doc.get(IndexSchema.SOURCE),
        doc.get(IndexSchema.PATH),
        ordinal == null ? 0 : ordinal.numericValue().intValue(),
        score,
        doc.get(IndexSchema.TEXT),
        heading == null ? "" : heading,
        page == null ? 0 : page.numericValue().intValue(),
        Optional.ofNullable(doc.get(IndexSchema.LINK)).orElse(""));
  }
}
