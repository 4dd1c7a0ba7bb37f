package dev.ancla.query;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.embed.PrefixedEmbedder;
import dev.ancla.embed.TokenCounter;
import dev.ancla.index.Analyzers;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.IndexStore;
import dev.ancla.index.Ranked;
import dev.ancla.index.RegistryEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modes, filters and the per-document cap, on a real index with two-dimensional vectors. */
class HybridRetrieverTest {
  @TempDir Path dir;
  private IndexStore store;

  /** "felino" means a cat but shares no word with the cat chunks: only vectors find them. */
  static final class TwoWordEmbedder implements Embedder {
    @Override
    public ModelInfo info() {
      return new ModelInfo("two-words", 2, 64, "two-words@1");
    }

    @Override
    public TokenCounter tokens() {
      throw new UnsupportedOperationException("queries only");
    }

    @Override
    public float[] embed(String text) {
      if (text.contains("felino") || text.contains("gato")) return new float[] {1, 0};
      if (text.contains("ventas")) return new float[] {0, 1};
      return new float[] {0.7071068f, 0.7071068f};
    }

    @Override
    public void close() {}
  }

  static void write(IndexStore store, String path, ChunkRecord... chunks) throws Exception {
    var entry =
        new RegistryEntry(
            "docs",
            path,
            path,
            dev.ancla.index.RegistryEntry.folderVersion(10, 1000),
            10,
            Optional.empty(),
            Optional.empty(),
            "hash-" + path,
            RegistryEntry.Status.OK,
            Optional.empty(),
            chunks.length,
            "text/plain",
            "",
            false,
            1,
            2,
            3);
    store.write(entry, List.of(chunks));
  }

  static ChunkRecord chunk(int ordinal, String text, float x, float y) {
    return new ChunkRecord(ordinal, text, "", 0, "h-" + text, new float[] {x, y});
  }

  @BeforeEach
  void index() throws Exception {
    store = IndexStore.openForWriting(dir, Analyzers.forLanguage(Config.Language.ES));
    write(
        store,
        "a.txt",
        chunk(0, "el gato duerme en la alfombra", 1, 0),
        chunk(1, "el gato come pescado", 0.8f, 0.6f));
    write(store, "informes/b.PDF", chunk(0, "informe anual de ventas", 0, 1));
    write(store, "manual/d.md", chunk(0, "tablas dinámicas en la hoja de cálculo", 0.6f, 0.8f));
    store.commit(Map.of());
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private HybridRetriever retriever() {
    return new HybridRetriever(
        store, Analyzers.forLanguage(Config.Language.ES), Optional.of(new TwoWordEmbedder()));
  }

  private static List<String> paths(List<SearchHit> hits) {
    return hits.stream().map(h -> h.path() + "#" + h.chunk()).toList();
  }

  @Test
  void bm25AloneFindsOnlyWordsAndVectorsAloneFindMeaning() throws Exception {
    var request = SearchRequest.of("felino", 10);
    assertEquals(List.of(), retriever().search(request.withMode(Mode.BM25)));
    List<SearchHit> vector = retriever().search(request.withMode(Mode.VECTOR));
    assertEquals("a.txt#0", paths(vector).getFirst());
    assertEquals(4, vector.size(), "kNN ranks every chunk");
    assertEquals("a.txt#0", paths(retriever().search(request)).getFirst(), "hybrid has both");
  }

  @Test
  void queriesAreEmbeddedWithTheQueryPrefix() throws Exception {
    var request = SearchRequest.of("ventas", 10).withMode(Mode.VECTOR);
    assertEquals("informes/b.PDF#0", paths(retriever().search(request)).getFirst());
    // the prefix's word turns the query vector to the cat chunks; passages are left alone
    var prefixed =
        new HybridRetriever(
            store,
            Analyzers.forLanguage(Config.Language.ES),
            Optional.of(PrefixedEmbedder.wrap(new TwoWordEmbedder(), "gato: ", "")));
    assertEquals("a.txt#0", paths(prefixed.search(request)).getFirst());
  }

  @Test
  void aFailingModelFailsTheSearchWithItsOwnErrorAndReleasesTheSearcher() throws Exception {
    int references = store.search(s -> s.getIndexReader().getRefCount());
    var broken =
        new HybridRetriever(
            store,
            Analyzers.forLanguage(Config.Language.ES),
            Optional.of(
                new Embedder() {
                  @Override
                  public ModelInfo info() {
                    return new TwoWordEmbedder().info();
                  }

                  @Override
                  public TokenCounter tokens() {
                    throw new UnsupportedOperationException("queries only");
                  }

                  @Override
                  public float[] embed(String text) {
                    throw new IllegalStateException("the model crashed");
                  }

                  @Override
                  public void close() {}
                }));
    var failure = assertThrows(IllegalStateException.class, () -> broken.search("gato", 10));
    assertEquals("the model crashed", failure.getMessage());
    int after = store.search(s -> s.getIndexReader().getRefCount());
    assertEquals(references, after, "the failed search released its searcher");
    assertEquals(
        List.of("a.txt#0", "a.txt#1"),
        paths(broken.search(SearchRequest.of("gato", 10).withMode(Mode.BM25))).stream()
            .sorted()
            .toList());
  }

  @Test
  void characterNgramsMatchWhatWordsMissAndHybridHasBoth() throws Exception {
    // its vector is far from the query's, so vectors alone would not rank it first
    write(store, "e.txt", chunk(0, "active el autoformato de la tabla", 1, 0));
    store.commit(Map.of());
    var request = SearchRequest.of("formatos", 10);
    // "formatos" stems to "format", a word no chunk has; its 3-grams are in "autoformato"
    assertEquals(List.of(), retriever().search(request.withMode(Mode.BM25)));
    // grams such as "for" and "orm" also match "informe", far below
    assertEquals("e.txt#0", paths(retriever().search(request.withMode(Mode.NGRAM))).getFirst());
    assertNotEquals("e.txt#0", paths(retriever().search(request.withMode(Mode.VECTOR))).getFirst());
    assertEquals("e.txt#0", paths(retriever().search(request)).getFirst());
  }

  @Test
  void theVectorListCountsAsMuchAsTheModelServesTheQuerysLanguage() throws Exception {
    // the words find the sales report; the vectors ("felino") find the cat
    String spanish = "el informe anual del felino";
    String english = "the informe anual of the felino";
    var lexicalFirst = "informes/b.PDF#0";
    var vectorFirst = "a.txt#0";
    var englishModel =
        RetrievalSettings.DEFAULTS.withVectorWeights(
            new dev.ancla.config.VectorWeights(0.01, 10, 0.01));
    assertEquals(lexicalFirst, top(englishModel, spanish));
    assertEquals(vectorFirst, top(englishModel, english));
    // the same two queries under one weight for every language rank alike: the language decides
    for (double weight : new double[] {0.01, 10}) {
      var uniform = RetrievalSettings.DEFAULTS.withVectorWeight(weight);
      assertEquals(top(uniform, english), top(uniform, spanish), "weight " + weight);
    }
    // at weight 0 the vectors are not searched at all: the cat chunks, which only they find (no
    // word or 3-gram of these queries is in them), are not among the hits
    var noSpanishVectors =
        RetrievalSettings.DEFAULTS.withVectorWeights(new dev.ancla.config.VectorWeights(0, 1, 1));
    assertEquals(List.of(lexicalFirst), paths(search(noSpanishVectors, "el anual del felino")));
    assertTrue(paths(search(noSpanishVectors, "the anual of the felino")).contains(vectorFirst));
  }

  @Test
  void byDefaultTheBundledEnglishModelsVectorsCountMoreOnEnglishQueries() {
    var d = RetrievalSettings.DEFAULTS;
    double spanish = d.vectorWeight("¿cómo recorto una imagen?");
    double english = d.vectorWeight("how do I crop an image?");
    double neither = d.vectorWeight("ALL; GROUP BY ALL");
    assertTrue(spanish > 0, "Spanish queries still get the vectors, a little");
    assertTrue(english > 3 * spanish, english + " against " + spanish);
    assertTrue(neither > spanish && neither <= english, "no sign of a language: in between");
  }

  private List<SearchHit> search(RetrievalSettings settings, String query) throws Exception {
    return new HybridRetriever(
            store,
            Analyzers.forLanguage(Config.Language.ES),
            Optional.of(new TwoWordEmbedder()),
            settings)
        .search(query, 10);
  }

  private String top(RetrievalSettings settings, String query) throws Exception {
    return paths(search(settings, query)).getFirst();
  }

  @Test
  void bm25AloneKeepsItsOwnScoresAndOrder() throws Exception {
    List<SearchHit> hits =
        retriever().search(SearchRequest.of("gato pescado", 10).withMode(Mode.BM25));
    assertEquals(List.of("a.txt#1", "a.txt#0"), paths(hits));
    assertTrue(hits.get(0).score() > hits.get(1).score());
    assertTrue(hits.get(0).score() > 0.1, "a BM25 score, not a fused 1/(60+rank)");
  }

  @Test
  void bm25LengthNormalizationIsASearchTimeSetting() throws Exception {
    write(
        store,
        "largo.txt",
        chunk(
            0,
            "un gato entre muchas palabras distintas que alargan este fragmento bastante",
            0,
            1));
    store.commit(Map.of());
    var request =
        SearchRequest.of("gato", 10)
            .withMode(Mode.BM25)
            .withFilter(Filter.NONE.withExtension("txt"));
    var analyzer = Analyzers.forLanguage(Config.Language.ES);
    var embedder = Optional.<Embedder>of(new TwoWordEmbedder());
    // "gato" once in each of the three chunks, which differ in length
    List<SearchHit> normalized =
        new HybridRetriever(store, analyzer, embedder, RetrievalSettings.DEFAULTS.withBm25(1.2f, 1))
            .search(request);
    assertEquals("largo.txt", normalized.get(2).path(), "the longest chunk last");
    assertTrue(normalized.get(0).score() > normalized.get(2).score() + 0.01);
    List<SearchHit> flat =
        new HybridRetriever(store, analyzer, embedder, RetrievalSettings.DEFAULTS.withBm25(1.2f, 0))
            .search(request);
    assertEquals(flat.get(0).score(), flat.get(2).score(), 1e-6, "b = 0 ignores length");
    assertThrows(
        IllegalArgumentException.class, () -> RetrievalSettings.DEFAULTS.withBm25(1.2f, 1.5f));
  }

  @Test
  void oneChunkPerDocumentRanksDocumentsByTheirBestChunk() throws Exception {
    var request = SearchRequest.of("gato", 10).withMode(Mode.VECTOR).withMaxPerDocument(1);
    List<SearchHit> hits = retriever().search(request);
    assertEquals(List.of("a.txt#0", "manual/d.md#0", "informes/b.PDF#0"), paths(hits));
    assertEquals(
        List.of("a.txt#0", "a.txt#1", "manual/d.md#0"),
        paths(
            retriever().search(request.withMaxPerDocument(2).withMode(Mode.VECTOR)).subList(0, 3)));
  }

  @Test
  void filtersRestrictBothRetrievers() throws Exception {
    for (Mode mode : Mode.values()) {
      var request = SearchRequest.of("informe de ventas del gato", 10).withMode(mode);
      assertEquals(
          List.of("informes/b.PDF#0"),
          paths(retriever().search(request.withFilter(Filter.NONE.withExtension(".pdf")))),
          mode + ": the extension is matched lower-case, dot or not");
      assertEquals(
          List.of("informes/b.PDF#0"),
          paths(retriever().search(request.withFilter(Filter.NONE.withPathPrefix("informes/")))),
          mode.label());
      assertEquals(
          List.of(),
          paths(retriever().search(request.withFilter(Filter.NONE.withSource("elsewhere")))),
          mode.label());
      assertEquals(
          List.of("informes/b.PDF#0"),
          paths(
              retriever()
                  .search(request.withFilter(Filter.NONE.withSource("docs").withExtension("PDF")))),
          mode.label());
    }
  }

  @Test
  void vectorSearchesFindOnlyLiveChunks() throws Exception {
    // only chunks have vectors, and deleted chunks never come back
    store.delete(dev.ancla.index.IndexSchema.docKey("docs", "informes/b.PDF"));
    store.refresh();
    List<SearchHit> hits = retriever().searchByVector(new float[] {0, 1}, 10);
    assertEquals(List.of("manual/d.md#0", "a.txt#1", "a.txt#0"), paths(hits));
    hits.forEach(h -> assertNotNull(h.text(), h.toString()));
    assertEquals(
        List.of("a.txt#1", "a.txt#0"),
        paths(retriever().searchByVector(new float[] {0, 1}, 10, Filter.NONE.withPathPrefix("a"))));
  }

  @Test
  void cachedFiltersFollowWritesAndDeletes() throws Exception {
    // filters are cached per segment from their first use, in segments of 10,000 documents or
    // more (Lucene's default cache): a.txt is rewritten into one, beside 10,000 other chunks
    var bulk = new ChunkRecord[10_000];
    for (int i = 0; i < bulk.length; i++) {
      bulk[i] = chunk(i, "relleno " + i, 1, 0);
    }
    write(store, "z/bulk.txt", bulk);
    write(
        store,
        "a.txt",
        chunk(0, "el gato duerme en la alfombra", 1, 0),
        chunk(1, "el gato come pescado", 0.8f, 0.6f));
    store.refresh();
    var inA = Filter.NONE.withPathPrefix("a");
    for (int i = 0; i < 3; i++) {
      assertEquals(
          List.of("a.txt#1", "a.txt#0"),
          paths(retriever().searchByVector(new float[] {0, 1}, 10, inA)));
    }
    write(store, "a2.txt", chunk(0, "otro gato", 0, 1));
    store.refresh();
    assertEquals(
        List.of("a2.txt#0", "a.txt#1", "a.txt#0"),
        paths(retriever().searchByVector(new float[] {0, 1}, 10, inA)));
    store.delete(dev.ancla.index.IndexSchema.docKey("docs", "a.txt"));
    store.refresh();
    assertEquals(
        List.of("a2.txt#0"), paths(retriever().searchByVector(new float[] {0, 1}, 10, inA)));
    assertEquals(
        List.of("a2.txt#0"),
        paths(retriever().search(SearchRequest.of("gato", 10).withFilter(inA))),
        "BM25's filter too");
  }

  @Test
  void theShortFormIsAHybridSearchOverEverything() throws Exception {
    List<SearchHit> hits = retriever().search("gato", 2);
    assertEquals(List.of("a.txt#0", "a.txt#1"), paths(hits));
  }

  @Test
  void vectorModeWithoutTheModelFailsAndHybridFallsBackToBm25() throws Exception {
    var bm25Only =
        new HybridRetriever(store, Analyzers.forLanguage(Config.Language.ES), Optional.empty());
    assertFalse(bm25Only.hasVectors());
    var e =
        assertThrows(
            IllegalStateException.class,
            () -> bm25Only.search(SearchRequest.of("gato", 3).withMode(Mode.VECTOR)));
    assertTrue(e.getMessage().contains("bm25"), e.getMessage());
    assertEquals(List.of("a.txt#0", "a.txt#1"), paths(bm25Only.search("gato", 3)));
  }

  @Test
  void fusionFavoursWhatBothListsRankAndKeepsTiesStable() {
    var lexical = List.of(new Ranked(7, 9f), new Ranked(3, 5f));
    var semantic = List.of(new Ranked(3, 0.9f), new Ranked(8, 0.8f));
    List<Ranked> fused =
        Fusion.fuse(List.of(lexical, semantic), new double[] {1, 1}, Fusion.Method.RRF, 60);
    assertEquals(List.of(3, 7, 8), fused.stream().map(Ranked::doc).toList());
    assertEquals(1.0 / 62 + 1.0 / 61, fused.getFirst().score(), 1e-6);
  }

  @Test
  void badRequestsAreRefusedWithAnExample() {
    var empty = assertThrows(IllegalArgumentException.class, () -> SearchRequest.of(" ", 3));
    assertTrue(empty.getMessage().contains("e.g."), empty.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SearchRequest.of("x", 0));
    assertThrows(IllegalArgumentException.class, () -> Filter.NONE.withExtension(" "));
    assertThrows(IllegalArgumentException.class, () -> Mode.parse("semantic"));
    assertEquals(Mode.VECTOR, Mode.parse(" Vector"));
  }
}
