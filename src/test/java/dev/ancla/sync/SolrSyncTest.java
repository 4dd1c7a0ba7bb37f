package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.index.Analyzers;
import dev.ancla.index.solr.SolrChunkIndex;
import dev.ancla.index.solr.SolrChunkSearch;
import dev.ancla.index.solr.SolrCollection;
import dev.ancla.index.solr.SolrUrl;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import dev.ancla.source.Sources;
import dev.ancla.testing.SolrTestCluster;
import dev.ancla.testing.TestAncla;
import dev.ancla.testing.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync on the Solr backend with real files, the real parser and the real model: the same files
 * synced into a local index and into a SolrCloud collection rank the same files first; a restart (a
 * new client) re-embeds nothing; a changed file re-embeds only its own chunks.
 */
class SolrSyncTest {
  @TempDir Path dir;

  private Config config;
  private SyncService.Settings settings;

  private SyncService sync(dev.ancla.index.ChunkIndex index) throws Exception {
    var limits = config.limits();
    return new SyncService(
        Sources.open(config),
        index,
        new TikaDocumentParser(
            new ParseLimits(limits.maxFileBytes(), limits.maxChars(), limits.timeout())),
        TestModel.shared(),
        settings,
        Clock.systemUTC(),
        System::nanoTime);
  }

  private SolrChunkIndex solr(SolrUrl url, Embedder model) throws Exception {
    return SolrChunkIndex.open(
        url,
        new SolrCollection.Spec(model.info().dimension(), Config.Language.ES),
        Duration.ofSeconds(30));
  }

  private static List<String> paths(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::path).toList();
  }

  @Test
  void solrRanksAsTheLocalIndexAndEmbedsEachChunkOnce() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("faros.md"), SyncServiceTest.LIGHTHOUSE);
    Files.writeString(
        Files.createDirectories(docs.resolve("cocina")).resolve("pan.txt"), SyncServiceTest.BREAD);
    Files.writeString(docs.resolve("teide.txt"), SyncServiceTest.VOLCANO);
    config = TestAncla.config(TestAncla.env(dir.resolve("data"), docs));
    settings =
        new SyncService.Settings(
            config.chunkTokens(),
            config.chunkOverlapTokens(),
            config.checkpointChunks(),
            config.checkpointInterval(),
            config.parseThreads(),
            config.embedThreads(),
            "es",
            Ancla.VERSION,
            config.fetchThreads(),
            config.limits().maxFileBytes());
    Embedder model = TestModel.shared();
    var url = SolrUrl.parse(SolrTestCluster.shared().indexUrl("sync", "?shards=2&replicas=2"));
    var queries =
        List.of(
            "faro de Finisterre",
            "how long does bulk fermentation take",
            "volcan mas alto de Espana",
            "lámpara del farero");

    SolrChunkIndex index = solr(url, model);
    SyncReport first = sync(index).sync(new ProgressTracker(System::nanoTime));
    assertEquals(3, first.added());
    assertTrue(first.complete());
    var solrSearch =
        new HybridRetriever(
            new SolrChunkSearch(index, Analyzers.forLanguage(Config.Language.ES)),
            Optional.of(model),
            RetrievalSettings.DEFAULTS);

    // the same files in the local index, for comparison
    try (Ancla local = TestAncla.open(dir.resolve("local"), docs)) {
      SyncReport localReport = local.sync().sync(new ProgressTracker(System::nanoTime));
      assertEquals(first.chunksEmbedded(), localReport.chunksEmbedded());
      assertEquals(local.store().counts(), index.counts());
      for (String q : queries) {
        assertEquals(paths(local.retriever().search(q, 3)), paths(solrSearch.search(q, 3)), q);
      }
    }

    // a restart: a new client finds every file up to date and embeds nothing
    SolrChunkIndex again = solr(url, model);
    SyncReport second = sync(again).sync(new ProgressTracker(System::nanoTime));
    assertEquals(0, second.chunksEmbedded(), second.toString());
    assertEquals(0, second.added());

    // one file changed: only its chunks are embedded again, the others keep their vectors
    Files.writeString(
        docs.resolve("teide.txt"), SyncServiceTest.VOLCANO + " Su última erupción fue en 1909.");
    SyncReport third = sync(again).sync(new ProgressTracker(System::nanoTime));
    assertEquals(1, third.changed(), third.toString());
    assertTrue(
        third.chunksEmbedded() >= 1 && third.chunksEmbedded() < first.chunksEmbedded(),
        third.toString());
    assertEquals("teide.txt", paths(solrSearch.search("última erupción del Teide", 1)).getFirst());
  }
}
