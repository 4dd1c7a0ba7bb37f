package dev.ancla.index;

import dev.ancla.query.Filter;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.util.QueryBuilder;

/**
 * {@link ChunkSearch} on the local index. kNN runs on the 8-bit quantized graph with oversampling,
 * then rescores the candidates with the full float vectors, which keeps recall near exact search at
 * a fraction of the memory. A candidate's handle is its Lucene doc id in the view's searcher.
 */
public final class LuceneChunkSearch implements ChunkSearch {
  private final IndexStore store;
  private final Analyzer analyzer;

  /**
   * @param analyzer the index's analyzer ({@link Analyzers}), for the query's words and n-grams
   */
  public LuceneChunkSearch(IndexStore store, Analyzer analyzer) {
    this.store = store;
    this.analyzer = analyzer;
  }

  @Override
  public <T> T withView(Work<T> work) throws IOException {
    return store.search(searcher -> work.apply(new SearcherView(searcher)));
  }

  /** A view over one Lucene searcher; the searcher is thread-safe, so is the view. */
  private final class SearcherView implements View {
    private final IndexSearcher searcher;
    private StoredFields stored; // not thread-safe: created on the first hit, used under the lock

    SearcherView(IndexSearcher searcher) {
      this.searcher = searcher;
    }

    @Override
    public List<Ranked> words(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException {
      var builder = new QueryBuilder(analyzer);
      return textAndHeading(
          searcher,
          withPhrase(builder, builder.createBooleanQuery(IndexSchema.TEXT, query), query, settings),
          builder.createBooleanQuery(IndexSchema.HEADING, query),
          filter(filter),
          depth,
          settings);
    }

    @Override
    public List<Ranked> ngrams(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException {
      return LuceneChunkSearch.this.ngrams(searcher, query, filter(filter), depth, settings);
    }

    @Override
    public List<Ranked> vectors(float[] vector, Filter filter, int depth) throws IOException {
      return semantic(searcher, vector, filter(filter), depth);
    }

    @Override
    public synchronized SearchHit hit(Ranked candidate) throws IOException {
      if (stored == null) {
        stored = searcher.storedFields();
      }
      return toHit(stored.document(candidate.doc()), candidate.score());
    }
  }

  /**
   * BM25 on the character n-gram fields: every distinct n-gram of the query is one optional clause
   * on the text and one on the heading path (at the heading boost), weighted by how often the query
   * has it. (Lucene's QueryBuilder would turn the n-grams of one word, which share a position, into
   * a single synonym query.) The clauses sit in one flat query, which scores as the sum of a text
   * query and a heading query would, but lets Lucene skip chunks that cannot reach the top across
   * all of them: nested, this list took a quarter longer.
   */
  private List<Ranked> ngrams(
      IndexSearcher searcher, String query, Query filter, int depth, RetrievalSettings settings)
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
    return ranked(bm25(searcher, settings).search(restricted, depth).scoreDocs);
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
  private static List<Ranked> textAndHeading(
      IndexSearcher searcher,
      Query text,
      Query heading,
      Query filter,
      int depth,
      RetrievalSettings settings)
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
    return ranked(bm25(searcher, settings).search(restricted, depth).scoreDocs);
  }

  /**
   * {@code words} with, when the settings ask for it, a bonus for chunks where the query's words
   * stand near each other (a sloppy phrase): the chunk that says "recortar imágenes" above one that
   * has the two words pages apart.
   */
  private static Query withPhrase(
      QueryBuilder builder, Query words, String query, RetrievalSettings settings) {
    if (words == null || settings.phraseBoost() <= 0) {
      return words;
    }
    Query phrase = builder.createPhraseQuery(IndexSchema.TEXT, query, settings.phraseSlop());
    if (!(phrase instanceof org.apache.lucene.search.PhraseQuery)
        && !(phrase instanceof org.apache.lucene.search.MultiPhraseQuery)) {
      return words; // one word: nothing to be near
    }
    return new BooleanQuery.Builder()
        .add(words, Occur.MUST)
        .add(new BoostQuery(phrase, settings.phraseBoost()), Occur.SHOULD)
        .build();
  }

  /** The searcher with the configured BM25; the index stores lengths, so k1 and b are free. */
  private static IndexSearcher bm25(IndexSearcher searcher, RetrievalSettings settings) {
    if (settings.bm25K1() == 1.2f && settings.bm25B() == 0.75f) {
      return searcher; // Lucene's default similarity
    }
    // a new IndexSearcher per query costs a few objects; the reader is shared
    var tuned = new IndexSearcher(searcher.getIndexReader());
    tuned.setSimilarity(new BM25Similarity(settings.bm25K1(), settings.bm25B()));
    return tuned;
  }

  private static List<Ranked> semantic(
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
  private static List<Ranked> rescore(IndexReader reader, float[] vector, ScoreDoc[] candidates)
      throws IOException {
    var exact = new ArrayList<Ranked>(candidates.length);
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
      exact.add(new Ranked(candidates[i].doc, score));
    }
    exact.sort(BY_SCORE);
    return exact;
  }

  private static final Comparator<Ranked> BY_SCORE =
      Comparator.comparingDouble(Ranked::score).reversed().thenComparingInt(Ranked::doc);

  private static List<Ranked> ranked(ScoreDoc[] docs) {
    return Arrays.stream(docs).map(d -> new Ranked(d.doc, d.score)).toList();
  }

  /** A chunk's stored fields as a hit with the candidate's score. */
  static SearchHit toHit(Document doc, double score) {
    var page = doc.getField(IndexSchema.PAGE);
    var ordinal = doc.getField(IndexSchema.ORDINAL);
    String heading = doc.get(IndexSchema.HEADING);
    String path = doc.get(IndexSchema.PATH);
    return new SearchHit(
        doc.get(IndexSchema.SOURCE),
        path,
        ordinal == null ? 0 : ordinal.numericValue().intValue(),
        score,
        doc.get(IndexSchema.TEXT),
        heading == null ? "" : heading,
        page == null ? 0 : page.numericValue().intValue(),
        Optional.ofNullable(doc.get(IndexSchema.LINK)).orElse(""),
        Optional.ofNullable(doc.get(IndexSchema.ITEM_ID)).orElse(path));
  }
}
