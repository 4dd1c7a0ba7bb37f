package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.config.Config;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.index.solr.SolrChunkIndex;
import dev.ancla.index.solr.SolrChunkSearch;
import dev.ancla.index.solr.SolrCollection;
import dev.ancla.index.solr.SolrUrl;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.RetrievalSettings;
import dev.ancla.query.SearchHit;
import dev.ancla.testing.SolrTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/BENCHMARKS.md section 11: the baseline's synthetic corpus (13,457 chunks, 384 dimensions)
 * ingested with precomputed vectors into the local index and into a SolrCloud collection (2 shards
 * × 2 replicas on 3 nodes in one child JVM, this machine), then the baseline's 1000 kNN queries on
 * each, in process through {@link HybridRetriever#searchByVector}, local / Solr / local again. Run:
 * {@code ./mvnw -o test -Dtest=SolrBench -Dancla.test.excludedGroups=
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints one JSON line to standard output.
 */
@Tag("bench")
class SolrBench {
  @TempDir Path dir;

  private static final int N = 13_457;

  /** Writes the first N docs of the corpus, a file of 16 chunks at a time, and commits. */
  private static long ingest(ChunkIndex index, SyntheticCorpus corpus) throws Exception {
    long start = System.nanoTime();
    int files = (N + SyntheticCorpus.CHUNKS_PER_FILE - 1) / SyntheticCorpus.CHUNKS_PER_FILE;
    for (int f = 0; f < files; f++) {
      int first = f * SyntheticCorpus.CHUNKS_PER_FILE;
      int last = Math.min(N, first + SyntheticCorpus.CHUNKS_PER_FILE);
      var chunks = new ArrayList<ChunkRecord>();
      var content = new StringBuilder();
      for (int i = first; i < last; i++) {
        String text = corpus.docText(i);
        content.append(text).append('\n');
        chunks.add(
            new ChunkRecord(
                i - first, text, "", 0, SyntheticIndex.sha256(text), corpus.docVector(i)));
      }
      int bytes = content.toString().getBytes(StandardCharsets.UTF_8).length;
      index.write(
          new RegistryEntry(
              SyntheticIndex.SOURCE,
              SyntheticCorpus.fileOf(first),
              SyntheticCorpus.fileOf(first),
              RegistryEntry.folderVersion(bytes, 0),
              bytes,
              Optional.empty(),
              Optional.empty(),
              SyntheticIndex.sha256(content.toString()),
              RegistryEntry.Status.OK,
              Optional.empty(),
              chunks.size(),
              "text/plain",
              "",
              false,
              0,
              0,
              0),
          chunks);
    }
    index.commit(Map.of("state", "complete"));
    return System.nanoTime() - start;
  }

  private static Map<String, Object> queries(
      HybridRetriever retriever, SyntheticCorpus corpus, JsonNode topk) throws Exception {
    for (int w = 0; w < 20; w++) {
      retriever.searchByVector(corpus.queryVector(1000 + w), 10);
    }
    double[] millis = new double[1000];
    double recall = 0;
    for (int q = 0; q < millis.length; q++) {
      long start = System.nanoTime();
      List<SearchHit> hits = retriever.searchByVector(corpus.queryVector(q), 10);
      millis[q] = (System.nanoTime() - start) / 1e6;
      var truth = new HashSet<Integer>();
      for (int i = 0; i < 10; i++) {
        truth.add(topk.get(q).get(i).asInt());
      }
      recall +=
          hits.stream()
                  .filter(h -> truth.contains(SyntheticCorpus.docIndex(h.path(), h.chunk())))
                  .count()
              / 10.0;
    }
    Arrays.sort(millis);
    var result = new LinkedHashMap<String, Object>();
    result.put("recall_at_10", Math.round(recall / millis.length * 10000) / 10000.0);
    result.put("p50_ms", QueriesCommand.percentile(millis, 50));
    result.put("p99_ms", QueriesCommand.percentile(millis, 99));
    return result;
  }

  @Test
  void ingestAndKnnLocalAgainstSolr() throws Exception {
    JsonNode truth =
        BenchJson.MAPPER.readTree(
            Path.of(
                    "/work/shared/baselines/chroma/groundtruth/groundtruth-n13457-seed42-q1000-k10.json")
                .toFile());
    JsonNode topk = truth.get("topk");
    var corpus = new SyntheticCorpus(truth.path("seed").asInt(SyntheticCorpus.DEFAULT_SEED));
    var result = new LinkedHashMap<String, Object>();
    try (IndexStore local =
        IndexStore.openForWriting(dir.resolve("index"), SyntheticIndex.analyzer())) {
      long localNanos = ingest(local, corpus);
      result.put("local_ingest_docs_per_s", Math.round(N / (localNanos / 1e9)));
      var solrUrl =
          SolrUrl.parse(SolrTestCluster.shared().indexUrl("bench", "?shards=2&replicas=2"));
      var solr =
          SolrChunkIndex.open(
              solrUrl,
              new SolrCollection.Spec(SyntheticCorpus.DIM, Config.Language.EN),
              Duration.ofSeconds(120));
      long solrNanos = ingest(solr, corpus);
      result.put("solr_ingest_docs_per_s", Math.round(N / (solrNanos / 1e9)));
      var localSearch = new HybridRetriever(local, SyntheticIndex.analyzer(), Optional.empty());
      var solrSearch =
          new HybridRetriever(
              new SolrChunkSearch(solr, SyntheticIndex.analyzer()),
              Optional.empty(),
              RetrievalSettings.DEFAULTS);
      result.put("local_1", queries(localSearch, corpus, topk));
      result.put("solr", queries(solrSearch, corpus, topk));
      result.put("local_2", queries(localSearch, corpus, topk));
      result.put("solr_bytes_all_replicas", solr.sizeOnDisk());
      result.put("local_bytes", local.sizeOnDisk());
    }
    System.out.println("SOLR_BENCH " + BenchJson.write(result));
  }
}
