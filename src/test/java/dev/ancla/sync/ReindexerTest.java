package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.embed.OpenAiEmbedder;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.index.SchemaOneIndex;
import dev.ancla.index.StoredVectors;
import dev.ancla.openai.OpenAiClient;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.Mode;
import dev.ancla.query.SearchRequest;
import dev.ancla.testing.FakeOpenAi;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-embedding with another real model (the bundled ONNX pooled by CLS instead of the mean) on a
 * real index: every vector is replaced, everything else is kept, and until the swap, or when the
 * rebuild fails or is cancelled, the old index is exactly what searches and the disk hold.
 */
class ReindexerTest {
  @TempDir Path dir;
  Path docs;
  Path data;

  @BeforeEach
  void indexWithTheBundledModel() throws Exception {
    docs = Files.createDirectories(dir.resolve("docs"));
    data = dir.resolve("data");
    Files.writeString(docs.resolve("faros.md"), SyncServiceTest.LIGHTHOUSE);
    Files.writeString(docs.resolve("pan.txt"), SyncServiceTest.BREAD);
    Files.writeString(docs.resolve("teide.txt"), SyncServiceTest.VOLCANO);
    Files.writeString(docs.resolve("teide-copia.txt"), SyncServiceTest.VOLCANO);
    Files.write(docs.resolve("roto.pdf"), new byte[] {'%', 'P', 'D', 'F', '-', '1'});
    try (Ancla ancla = TestAncla.open(data, docs)) {
      assertTrue(ancla.sync().sync(new ProgressTracker(System::nanoTime)).complete());
    }
  }

  /** Opens the index with {@code model} as the configured model. */
  private Ancla open(Embedder model) throws IOException {
    Config config = TestAncla.config(TestAncla.env(data, docs, "ANCLA_EMBED_THREADS", "2"));
    var parts = TestAncla.parts(config);
    return Ancla.openForWriting(
        config, new Ancla.Parts(() -> model, parts.parser(), parts.clock()));
  }

  private static Reindexer reindexer(Ancla ancla, Embedder model, int refreshEvery) {
    return new Reindexer(
        ancla.store(),
        model,
        2,
        refreshEvery,
        "test",
        java.time.Clock.systemUTC(),
        System::nanoTime);
  }

  private static ProgressTracker tracker() {
    return new ProgressTracker(System::nanoTime);
  }

  /**
   * Every chunk as (doc key, ordinal) → text and vector, read from the index as searches see it.
   */
  private static Map<String, Map.Entry<String, float[]>> chunks(IndexStore store)
      throws IOException {
    return store.search(
        s -> {
          var result = new TreeMap<String, Map.Entry<String, float[]>>();
          var query = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK));
          var stored = s.storedFields();
          for (ScoreDoc hit : s.search(query, 10_000).scoreDocs) {
            var doc = stored.document(hit.doc);
            String key =
                doc.get(IndexSchema.SOURCE)
                    + ":"
                    + doc.get(IndexSchema.PATH)
                    + "#"
                    + doc.getField(IndexSchema.ORDINAL).numericValue();
            float[] vector = StoredVectors.byDocId(s.getIndexReader(), hit.doc).orElseThrow();
            result.put(key, Map.entry(doc.get(IndexSchema.TEXT), vector));
          }
          return result;
        });
  }

  private static List<RegistryEntry> registryWithoutTimings(IndexStore store) throws IOException {
    var result = new ArrayList<RegistryEntry>();
    for (RegistryEntry e : store.registryEntries(e -> true)) {
      result.add(e.withEmbedMillis(0));
    }
    return result;
  }

  @Test
  void everyVectorComesFromTheNewModelAndEverythingElseIsKept() throws Exception {
    Embedder other = TestModel.other();
    try (Ancla ancla = open(other)) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      var chunksBefore = chunks(store);
      var registryBefore = registryWithoutTimings(store);
      assertEquals(TestModel.shared().info().fingerprint(), before.modelFingerprint());
      assertTrue(ancla.reindexer().needed());

      var progress = tracker();
      Reindexer.Report report = ancla.reindexer().reindex(progress, false);

      assertTrue(report.complete());
      assertEquals(5, report.documents());
      assertEquals(5, progress.snapshot().documentsDone());
      assertEquals(1, progress.snapshot().failed(), "the broken PDF stays failed");
      CommitInfo after = store.lastCommit().orElseThrow();
      assertEquals(other.info().fingerprint(), after.modelFingerprint());
      assertEquals(after.generation(), report.generation());
      assertTrue(after.generation() > before.generation());
      assertEquals(before.documents(), after.documents());
      assertEquals(before.chunks(), after.chunks());
      assertEquals(before.failed(), after.failed());
      assertEquals(before.raw().get("state"), after.raw().get("state"));
      assertFalse(ancla.reindexer().needed());
      assertEquals(registryBefore, registryWithoutTimings(store));

      var chunksAfter = chunks(store);
      assertEquals(chunksBefore.keySet(), chunksAfter.keySet());
      for (var key : chunksBefore.keySet()) {
        String text = chunksBefore.get(key).getKey();
        assertEquals(text, chunksAfter.get(key).getKey());
        assertArrayEquals(other.embed(text), chunksAfter.get(key).getValue(), 1e-6f, key);
        assertNotEquals(
            cosine(chunksBefore.get(key).getValue(), chunksAfter.get(key).getValue()),
            1.0,
            1e-3,
            "CLS pooling gives other vectors than mean pooling: " + key);
      }
      // the copy of teide.txt has the same chunk text: embedded once, reused once
      long unique = chunksAfter.values().stream().map(Map.Entry::getKey).distinct().count();
      assertEquals(unique, report.chunksEmbedded());
      assertEquals(chunksAfter.size() - unique, report.chunksReused());

      // vector search works again, with the new model's query vectors
      HybridRetriever retriever = ancla.retriever();
      var hits =
          retriever.search(
              SearchRequest.of("¿Cuál es el pico más alto de España?", 3).withMode(Mode.VECTOR));
      assertTrue(hits.getFirst().path().startsWith("teide"), hits.toString());
    }
    // a later sync with the new model reuses every vector
    try (Ancla ancla = open(other)) {
      SyncReport sync = ancla.sync().sync(tracker());
      assertEquals(0, sync.chunksEmbedded());
      Files.writeString(docs.resolve("nuevo.txt"), "Un archivo nuevo sobre faros y volcanes.");
      assertEquals(1, ancla.sync().sync(tracker()).added());
    }
  }

  @Test
  void searchesAndTheDiskKeepTheOldIndexUntilTheSwap() throws Exception {
    var paused = new CountDownLatch(1);
    var resume = new CountDownLatch(1);
    Embedder other = TestModel.other();
    Embedder pausing =
        TestModel.calling(
            other,
            n -> {
              if (n == 3) {
                paused.countDown();
                await(resume);
              }
            });
    try (Ancla ancla = open(other)) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      var chunksBefore = chunks(store);
      var reindexer = reindexer(ancla, pausing, 1);
      var result = new java.util.concurrent.CompletableFuture<Reindexer.Report>();
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  result.complete(reindexer.reindex(tracker(), false));
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
      assertTrue(paused.await(60, TimeUnit.SECONDS));

      // mid-rebuild: searches, counts, the last commit and the disk are the old index
      assertEquals(before, store.lastCommit().orElseThrow());
      assertEquals(before.chunks(), store.counts().chunks());
      assertEquals(before.documents(), store.counts().documents());
      var chunksNow = chunks(store);
      assertEquals(chunksBefore.keySet(), chunksNow.keySet());
      for (var key : chunksBefore.keySet()) {
        assertArrayEquals(chunksBefore.get(key).getValue(), chunksNow.get(key).getValue(), key);
      }
      assertEquals(
          "faros.md",
          ancla.retriever().search(SearchRequest.of("faro de Finisterre", 1)).getFirst().path());
      assertEquals(before.generation(), onDiskGeneration());
      // and nothing else may change the index meanwhile
      Files.writeString(docs.resolve("nuevo.txt"), "Un archivo que llega durante el reindexado.");
      var refused = assertThrows(IllegalStateException.class, () -> ancla.sync().sync(tracker()));
      assertTrue(refused.getMessage().contains("reindex"), refused.getMessage());

      resume.countDown();
      assertTrue(result.get(60, TimeUnit.SECONDS).complete());
      assertEquals(other.info().fingerprint(), store.lastCommit().orElseThrow().modelFingerprint());
      assertTrue(onDiskGeneration() > before.generation());
    }
  }

  @Test
  void aFailedReindexLeavesTheIndexAsItWasAndStillWritable() throws Exception {
    Embedder other = TestModel.other();
    Embedder failing =
        TestModel.calling(
            other,
            n -> {
              if (n == 4) {
                throw new IllegalStateException("the model ran out of memory");
              }
            });
    try (Ancla ancla = open(TestModel.shared())) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      var chunksBefore = chunks(store);

      var error =
          assertThrows(
              IllegalStateException.class,
              () -> reindexer(ancla, failing, 2).reindex(tracker(), false));
      assertTrue(error.getMessage().contains("the index stays as it was"), error.getMessage());
      assertTrue(error.getMessage().contains("ran out of memory"), error.getMessage());

      assertEquals(before, store.lastCommit().orElseThrow());
      assertEquals(before.generation(), onDiskGeneration());
      var chunksAfter = chunks(store);
      assertEquals(chunksBefore.keySet(), chunksAfter.keySet());
      for (var key : chunksBefore.keySet()) {
        assertArrayEquals(chunksBefore.get(key).getValue(), chunksAfter.get(key).getValue(), key);
      }
      // the writer was reopened on the old commit: syncs and searches go on
      Files.writeString(docs.resolve("nuevo.txt"), "Los faros de Asturias y sus fareras.");
      SyncReport sync = ancla.sync().sync(tracker());
      assertEquals(1, sync.added());
      assertEquals(
          "nuevo.txt",
          ancla.retriever().search(SearchRequest.of("fareras de Asturias", 1)).getFirst().path());
    }
  }

  @Test
  void aCancelledReindexChangesNothing() throws Exception {
    Embedder other = TestModel.other();
    try (Ancla ancla = open(other)) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      var holder = new Reindexer[1];
      holder[0] =
          reindexer(
              ancla,
              TestModel.calling(
                  other,
                  n -> {
                    if (n == 2) {
                      holder[0].cancel();
                    }
                  }),
              1);
      Reindexer.Report report = holder[0].reindex(tracker(), false);
      assertFalse(report.complete());
      assertTrue(report.documents() < 5, report.toString());
      assertEquals(before, store.lastCommit().orElseThrow());
      assertEquals(before.generation(), onDiskGeneration());
      assertTrue(ancla.reindexer().needed());
      // and a second attempt runs to the end
      assertTrue(ancla.reindexer().reindex(tracker(), false).complete());
      assertFalse(ancla.reindexer().needed());
    }
  }

  @Test
  void theSameModelIsRefusedUnlessForced() throws Exception {
    try (Ancla ancla = open(TestModel.shared())) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      var chunksBefore = chunks(store);
      assertFalse(ancla.reindexer().needed());
      var refused =
          assertThrows(
              Reindexer.UpToDateException.class, () -> ancla.reindexer().reindex(tracker(), false));
      assertTrue(refused.getMessage().contains("already embedded"), refused.getMessage());
      assertEquals(before, store.lastCommit().orElseThrow());

      Reindexer.Report forced = ancla.reindexer().reindex(tracker(), true);
      assertTrue(forced.complete());
      var chunksAfter = chunks(store);
      for (var key : chunksBefore.keySet()) {
        assertArrayEquals(chunksBefore.get(key).getValue(), chunksAfter.get(key).getValue(), key);
      }
    }
  }

  @Test
  void anIndexOfAnOlderSchemaIsRebuiltWithItsVectorsKept() throws Exception {
    SchemaOneIndex.downgrade(data.resolve("index"));
    var embedded = new java.util.concurrent.atomic.AtomicInteger();
    Embedder counting = TestModel.calling(TestModel.shared(), n -> embedded.incrementAndGet());
    try (Ancla ancla = open(counting)) {
      IndexStore store = ancla.store();
      assertEquals(1, store.lastCommit().orElseThrow().schemaVersion());
      var chunksBefore = chunks(store);
      // "fareros" is in the lighthouse file; 3-grams of "farero" find it, once they exist
      var ngrams = SearchRequest.of("farero", 5).withMode(Mode.NGRAM);
      assertEquals(List.of(), ancla.retriever().search(ngrams));

      // a sync rewrites only what changed: the commit keeps the index's schema
      Files.writeString(docs.resolve("nuevo.txt"), "Un fichero nuevo sobre faros y fareros.");
      assertTrue(ancla.sync().sync(tracker()).complete());
      assertEquals(1, store.lastCommit().orElseThrow().schemaVersion());
      assertTrue(ancla.reindexer().needed());

      embedded.set(0);
      Reindexer.Report report = reindexer(ancla, counting, 1000).reindex(tracker(), false);
      assertTrue(report.complete());
      assertEquals(0, embedded.get(), "the model did not change, so no chunk is embedded again");
      assertEquals(0, report.chunksEmbedded());
      assertEquals(IndexSchema.VERSION, store.lastCommit().orElseThrow().schemaVersion());
      assertFalse(ancla.reindexer().needed());
      var chunksAfter = chunks(store);
      for (var key : chunksBefore.keySet()) {
        assertArrayEquals(chunksBefore.get(key).getValue(), chunksAfter.get(key).getValue(), key);
      }
      assertEquals(
          List.of("faros.md", "nuevo.txt"),
          ancla.retriever().search(ngrams).stream()
              .map(h -> h.path())
              .distinct()
              .sorted()
              .toList());
    }
  }

  @Test
  void aModelOfAnotherDimensionReplacesTheVectorField() throws Exception {
    try (var fake = new FakeOpenAi(FakeOpenAi.embeddings(8));
        var api =
            new OpenAiEmbedder(
                new Config.EmbedApiSpec(
                    fake.baseUrl(),
                    "fake-embed-8",
                    Optional.empty(),
                    16,
                    OptionalInt.empty(),
                    OptionalInt.empty()),
                new OpenAiClient(
                    "the embeddings API",
                    fake.baseUrl(),
                    Optional.empty(),
                    "ANCLA_EMBED_API_KEY",
                    Duration.ofSeconds(5),
                    OpenAiClient.Retry.DEFAULT));
        Ancla ancla = open(api)) {
      IndexStore store = ancla.store();
      CommitInfo before = store.lastCommit().orElseThrow();
      assertEquals(384, before.dimension());
      assertTrue(ancla.reindexer().reindex(tracker(), false).complete());

      CommitInfo after = store.lastCommit().orElseThrow();
      assertEquals(8, after.dimension());
      assertEquals(before.chunks(), after.chunks());
      var chunks = chunks(store);
      for (var chunk : chunks.values()) {
        assertArrayEquals(api.embed(chunk.getKey()), chunk.getValue(), 1e-6f);
      }
      var teide = chunks.values().stream().filter(c -> c.getKey().contains("Teide")).findFirst();
      var hits = ancla.retriever().searchByVector(teide.orElseThrow().getValue(), 1);
      assertTrue(hits.getFirst().path().startsWith("teide"), hits.toString());
    }
  }

  @Test
  void aDiskWithoutRoomForASecondCopyIsRefusedUpFront() {
    long mb = 1 << 20;
    assertEquals(Optional.empty(), Reindexer.needsRoom(200 * mb, 100 * mb, 384, 384));
    String full = Reindexer.needsRoom(105 * mb, 100 * mb, 384, 384).orElseThrow();
    assertTrue(full.contains("100 MB now") && full.contains("105 MB are free"), full);
    // twice the dimension: about twice the bytes
    assertTrue(Reindexer.needsRoom(150 * mb, 100 * mb, 384, 768).isPresent());
    assertEquals(Optional.empty(), Reindexer.needsRoom(230 * mb, 100 * mb, 384, 768));
    assertEquals(Optional.empty(), Reindexer.needsRoom(120 * mb, 100 * mb, 768, 384));
  }

  private long onDiskGeneration() throws IOException {
    try (var directory = org.apache.lucene.store.FSDirectory.open(data.resolve("index"))) {
      return org.apache.lucene.index.SegmentInfos.readLatestCommit(directory).getGeneration();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot;
  }
}
