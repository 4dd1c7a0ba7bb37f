package dev.ancla.query;

import dev.ancla.embed.Embedder;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.StoredVectors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * BM25 and kNN over chunks, fused with reciprocal rank fusion (ARCHITECTURE.md decision 8). kNN
 * runs on the 8-bit quantized graph with oversampling, then rescores the candidates with the full
 * float vectors, which keeps recall near exact search at a fraction of the memory.
 */
public final class HybridRetriever {
  /** RRF's damping constant; 60 is the value of the original paper and works without tuning. */
  static final int RRF_K = 60;

  private final IndexStore store;
  private final Analyzer analyzer;
  private final Optional<Embedder> embedder;

  /**
   * @param embedder the model for query vectors; empty for BM25 only (no model, or an index built
   *     with another model)
   */
  public HybridRetriever(IndexStore store, Analyzer analyzer, Optional<Embedder> embedder) {
    this.store = store;
    this.analyzer = analyzer;
    this.embedder = embedder;
  }

  public List<SearchHit> search(String query, int k) throws IOException {
    return search(query, k, Filter.NONE);
  }

  /** Like {@link #search(String, int)}, over the chunks of the files that pass {@code filter}. */
  public List<SearchHit> search(String query, int k, Filter filter) throws IOException {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("the query is empty; say what to look for, e.g. \"copias de seguridad\"");
    }
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k is " + k + "; expected 1 to 1000, e.g. 8");
    }
    int depth = Math.max(50, k * 5);
    Optional<float[]> vector = embedder.map(e -> e.embed(query));
    return store.search(
        searcher -> {
          List<Integer> lexical = lexical(searcher, query, depth, filter);
          List<Integer> semantic =
              vector.isPresent() ? semantic(searcher, vector.get(), depth, filter) : List.of();
          List<Map.Entry<Integer, Double>> fused = fuse(List.of(lexical, semantic), k);
          var hits = new ArrayList<SearchHit>(fused.size());
          var stored = searcher.storedFields();
          for (var hit : fused) {
            hits.add(toHit(stored.document(hit.getKey()), hit.getValue()));
          }
          return hits;
        });
  }

  private List<Integer> lexical(IndexSearcher searcher, String query, int depth, Filter filter)
      throws IOException {
    var builder = new QueryBuilder(analyzer);
    Query text = builder.createBooleanQuery(IndexSchema.TEXT, query);
    Query heading = builder.createBooleanQuery(IndexSchema.HEADING, query);
    if (text == null) {
      return List.of(); // only stop words
    }
    var either = new BooleanQuery.Builder().add(text, Occur.SHOULD);
    if (heading != null) {
      either.add(new BoostQuery(heading, 0.5f), Occur.SHOULD);
    }
    Query chunks = IndexStore.chunksOnly(either.build());
    return docIds(searcher.search(restrict(chunks, filter), depth).scoreDocs);
  }

  /**
   * kNN only, for a query vector computed elsewhere (benchmarks against stores that take
   * precomputed vectors): the same graph search, oversampling and exact rescoring as {@link
   * #search}. Scores are the exact dot products.
   */
  public List<SearchHit> searchByVector(float[] vector, int k) throws IOException {
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k is " + k + "; expected 1 to 1000, e.g. 8");
    }
    int depth = Math.max(50, k * 5);
    return store.search(
        searcher -> {
          var stored = searcher.storedFields();
          var hits = new ArrayList<SearchHit>(k);
          for (var hit : nearest(searcher, vector, depth, Filter.NONE)) {
            if (hits.size() == k) {
              break;
            }
            hits.add(toHit(stored.document(hit.getKey()), hit.getValue()));
          }
          return hits;
        });
  }

  private List<Integer> semantic(IndexSearcher searcher, float[] vector, int depth, Filter filter)
      throws IOException {
    return nearest(searcher, vector, depth, filter).stream().map(Map.Entry::getKey).toList();
  }

  /** Doc ids and exact similarities of the graph's {@code depth} candidates, best first. */
  private static List<Map.Entry<Integer, Float>> nearest(
      IndexSearcher searcher, float[] vector, int depth, Filter filter) throws IOException {
    Query chunks = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK));
    var query = new KnnFloatVectorQuery(IndexSchema.VECTOR, vector, depth, restrict(chunks, filter));
    ScoreDoc[] approximate = searcher.search(query, depth).scoreDocs;
    return rescore(searcher.getIndexReader(), vector, approximate);
  }

  /** {@code query} limited to what {@code filter} lets through; kNN takes it as its pre-filter. */
  private static Query restrict(Query query, Filter filter) {
    return filter
        .query()
        .<Query>map(
            f ->
                new BooleanQuery.Builder().add(query, Occur.MUST).add(f, Occur.FILTER).build())
        .orElse(query);
  }

  /** Orders the quantized graph's candidates by their exact similarity. */
  private static List<Map.Entry<Integer, Float>> rescore(
      IndexReader reader, float[] vector, ScoreDoc[] candidates) throws IOException {
    var exact = new HashMap<Integer, Float>();
    for (ScoreDoc candidate : candidates) {
      Optional<float[]> stored = StoredVectors.byDocId(reader, candidate.doc);
      exact.put(
          candidate.doc,
          stored.isPresent()
              ? VectorSimilarityFunction.DOT_PRODUCT.compare(vector, stored.get())
              : candidate.score);
    }
    return exact.entrySet().stream()
        .sorted(Map.Entry.<Integer, Float>comparingByValue().reversed())
        .toList();
  }

  /** Reciprocal rank fusion: each list adds 1 / (60 + rank) to a document's score. */
  static List<Map.Entry<Integer, Double>> fuse(List<List<Integer>> rankings, int k) {
    var scores = new LinkedHashMap<Integer, Double>();
    for (List<Integer> ranking : rankings) {
      for (int rank = 0; rank < ranking.size(); rank++) {
        scores.merge(ranking.get(rank), 1.0 / (RRF_K + rank + 1), Double::sum);
      }
    }
    return scores.entrySet().stream()
        .sorted(
            Map.Entry.<Integer, Double>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(k)
        .toList();
  }

  private static List<Integer> docIds(ScoreDoc[] docs) {
    var ids = new ArrayList<Integer>(docs.length);
    for (ScoreDoc doc : docs) {
      ids.add(doc.doc);
    }
    return ids;
  }

  private static SearchHit toHit(Document doc, double score) {
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
        page == null ? 0 : page.numericValue().intValue());
  }
}
