package dev.ancla.index.solr;

import static dev.ancla.index.solr.SolrQueries.NODES;
import static dev.ancla.index.solr.SolrQueries.boost;
import static dev.ancla.index.solr.SolrQueries.should;
import static dev.ancla.index.solr.SolrQueries.term;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ancla.index.ChunkSearch;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.Legs;
import dev.ancla.index.Ranked;
import dev.ancla.query.Filter;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.search.IndexSearcher;

/**
 * {@link ChunkSearch} on a SolrCloud collection: the same three lists as the local index, built
 * from the same analyzed terms. Ancla analyzes the query with its own analyzer (the configset's
 * chain is the same) and sends term queries, so Solr matches exactly the terms the local index
 * would. Document frequencies are global across shards (the configset's ExactStatsCache). The
 * vector list is Solr's kNN with the filters as its pre-filter; Solr keeps the raw vectors, so its
 * cosine scores are exact already.
 *
 * <p>A view's handles number the chunks as its lists return them; each list carries the stored
 * fields a hit needs, so {@link View#hit} asks Solr nothing.
 */
public final class SolrChunkSearch implements ChunkSearch {
  private static final String HIT_FIELDS =
      String.join(
          ",",
          IndexSchema.ID,
          "score",
          IndexSchema.SOURCE,
          IndexSchema.ITEM_ID,
          IndexSchema.PATH,
          IndexSchema.ORDINAL,
          IndexSchema.TEXT,
          IndexSchema.HEADING,
          IndexSchema.PAGE,
          IndexSchema.LINK);

  private final SolrChunkIndex index;
  private final Analyzer analyzer;

  /**
   * @param analyzer the local index's analyzer ({@code Analyzers.forLanguage})
   */
  public SolrChunkSearch(SolrChunkIndex index, Analyzer analyzer) {
    this.index = index;
    this.analyzer = analyzer;
  }

  @Override
  public <T> T withView(Work<T> work) throws IOException {
    return work.apply(new SolrView());
  }

  private final class SolrView implements View {
    private final Map<String, Integer> handles = new ConcurrentHashMap<>();
    private final Map<Integer, JsonNode> docs = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    /**
     * All legs at once, each on a thread of its own (each is an HTTP round trip, most of it
     * waiting). Handles are given out only when every list is back, in the order words, n-grams,
     * vectors, so they do not depend on which came first.
     */
    @Override
    public List<List<Ranked>> search(Legs legs) throws IOException {
      var pending = new ArrayList<CompletableFuture<JsonNode>>(3);
      if (legs.words()) {
        pending.add(
            Legs.async(
                () ->
                    fetch(wordsQuery(legs.query(), legs.settings()), legs.filter(), legs.depth())));
      }
      if (legs.ngrams()) {
        pending.add(
            Legs.async(
                () ->
                    fetch(
                        ngramsQuery(legs.query(), legs.settings()), legs.filter(), legs.depth())));
      }
      legs.vector()
          .ifPresent(
              v ->
                  pending.add(
                      Legs.async(
                          () ->
                              fetch(
                                  vectorsQuery(v.get(), legs.depth()),
                                  legs.filter(),
                                  legs.depth()))));
      pending.forEach(Legs::await);
      var lists = new ArrayList<List<Ranked>>(pending.size());
      for (CompletableFuture<JsonNode> leg : pending) {
        lists.add(rank(Legs.join(leg)));
      }
      return lists;
    }

    @Override
    public List<Ranked> words(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException {
      return rank(fetch(wordsQuery(query, settings), filter, depth));
    }

    @Override
    public List<Ranked> ngrams(String query, Filter filter, int depth, RetrievalSettings settings)
        throws IOException {
      return rank(fetch(ngramsQuery(query, settings), filter, depth));
    }

    @Override
    public List<Ranked> vectors(float[] vector, Filter filter, int depth) throws IOException {
      return rank(fetch(vectorsQuery(vector, depth), filter, depth));
    }

    /** BM25 on the words of text and heading; null when the query has no terms. */
    private ObjectNode wordsQuery(String query, RetrievalSettings settings) throws IOException {
      requireCollectionBm25(settings);
      List<String> terms = terms(IndexSchema.TEXT, query);
      if (terms.isEmpty()) {
        return null;
      }
      var text = new ArrayList<ObjectNode>();
      var heading = new ArrayList<ObjectNode>();
      for (String t : terms) {
        text.add(term(IndexSchema.TEXT, t));
        heading.add(term(IndexSchema.HEADING, t));
      }
      var either = new ArrayList<ObjectNode>(List.of(should(text)));
      if (settings.headingBoost() > 0) {
        either.add(boost(should(heading), settings.headingBoost()));
      }
      return should(either);
    }

    /** BM25 on the n-grams of text and heading; null when the query has none. */
    private ObjectNode ngramsQuery(String query, RetrievalSettings settings) throws IOException {
      requireCollectionBm25(settings);
      var counts = new LinkedHashMap<String, Integer>();
      for (String gram : terms(IndexSchema.TEXT_NGRAM, query)) {
        counts.merge(gram, 1, Integer::sum);
      }
      if (counts.isEmpty()) {
        return null;
      }
      var clauses = new ArrayList<ObjectNode>();
      int room = IndexSearcher.getMaxClauseCount() / 2; // as the local index: a text and a heading
      counts.entrySet().stream()
          .limit(room)
          .forEach(
              gram -> {
                float weight = gram.getValue();
                clauses.add(boost(term(IndexSchema.TEXT_NGRAM, gram.getKey()), weight));
                if (settings.headingBoost() > 0) {
                  clauses.add(
                      boost(
                          term(IndexSchema.HEADING_NGRAM, gram.getKey()),
                          weight * settings.headingBoost()));
                }
              });
      return should(clauses);
    }

    private ObjectNode vectorsQuery(float[] vector, int depth) {
      var literal = new StringBuilder("[");
      for (int i = 0; i < vector.length; i++) {
        literal.append(i == 0 ? "" : ",").append(vector[i]);
      }
      ObjectNode knn = NODES.objectNode();
      knn.putObject("knn")
          .put("f", IndexSchema.VECTOR)
          .put("topK", depth)
          .put("query", literal.append(']').toString());
      return knn;
    }

    /** The matching chunks' documents, best first; none for a null query. */
    private JsonNode fetch(ObjectNode query, Filter filter, int depth) throws IOException {
      if (query == null) {
        return NODES.arrayNode();
      }
      return index
          .query(SolrQueries.request(query, SolrQueries.chunkFilters(filter), depth, HIT_FIELDS))
          .path("docs");
    }

    /** The ranked list of {@code found}, a handle for each chunk not seen before in this view. */
    private List<Ranked> rank(JsonNode found) {
      var ranked = new ArrayList<Ranked>(found.size());
      for (JsonNode doc : found) {
        int handle =
            handles.computeIfAbsent(
                doc.path(IndexSchema.ID).asText(),
                id -> {
                  int h = next.getAndIncrement();
                  docs.put(h, doc);
                  return h;
                });
        ranked.add(new Ranked(handle, (float) doc.path("score").asDouble()));
      }
      // shards merge by score; equal scores go to the lower handle, as the local index's doc id
      ranked.sort(
          Comparator.comparingDouble(Ranked::score).reversed().thenComparingInt(Ranked::doc));
      return ranked;
    }

    @Override
    public SearchHit hit(Ranked candidate) {
      JsonNode doc = docs.get(candidate.doc());
      if (doc == null) {
        throw new IllegalArgumentException(
            "candidate " + candidate.doc() + " did not come from this view");
      }
      return new SearchHit(
          doc.path(IndexSchema.SOURCE).asText(),
          doc.path(IndexSchema.PATH).asText(),
          doc.path(IndexSchema.ORDINAL).asInt(),
          candidate.score(),
          doc.path(IndexSchema.TEXT).asText(),
          doc.path(IndexSchema.HEADING).asText(""),
          doc.path(IndexSchema.PAGE).asInt(0),
          doc.path(IndexSchema.LINK).asText(""),
          doc.path(IndexSchema.ITEM_ID).asText(doc.path(IndexSchema.PATH).asText()));
    }
  }

  /** The analyzed terms of {@code text} for {@code field}, in order, repeats kept. */
  private List<String> terms(String field, String text) throws IOException {
    var terms = new ArrayList<String>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  /** BM25's parameters live in the collection's schema, fixed when it was created. */
  private void requireCollectionBm25(RetrievalSettings settings) {
    var spec = index.spec();
    if (settings.bm25K1() != spec.bm25K1() || settings.bm25B() != spec.bm25B()) {
      throw new IllegalArgumentException(
          "the Solr collection ranks with BM25 k1="
              + spec.bm25K1()
              + ", b="
              + spec.bm25B()
              + " (fixed in its schema), and this search asks for k1="
              + settings.bm25K1()
              + ", b="
              + settings.bm25B()
              + "; search with the collection's values");
    }
  }
}
