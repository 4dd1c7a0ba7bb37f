package dev.ancla.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The Chroma baseline's query phase, in process: 20 warm-up queries (1000-1019), then 1000
 * sequential kNN queries with k=10 through {@link HybridRetriever#searchByVector} (text included),
 * recall@10 against the baseline's exact ground truth, nearest-rank latency percentiles, and the
 * process's peak resident memory (VmHWM) at the end.
 */
@Command(
    name = "queries",
    mixinStandardHelpOptions = true,
    description = "Recall@k against exact ground truth, in-process latency, and peak RSS.")
final class QueriesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Data directory holding index/.")
  Path data;

  @Option(
      names = "--groundtruth",
      required = true,
      description =
          "e.g. /work/shared/baselines/chroma/groundtruth/groundtruth-n13457-seed42-q1000-k10.json")
  Path groundTruth;

  @Option(names = "--queries", defaultValue = "1000")
  int queries;

  @Option(names = "--warmup", defaultValue = "20")
  int warmup;

  @Option(names = "--k", defaultValue = "10")
  int k;

  @Override
  public Integer call() throws Exception {
    JsonNode truth = BenchJson.MAPPER.readTree(groundTruth.toFile());
    JsonNode topk = truth.get("topk");
    if (topk == null || topk.size() < queries) {
      throw new IOException(groundTruth + " has no \"topk\" array with " + queries + " queries");
    }
    var corpus = new SyntheticCorpus(truth.path("seed").asInt(SyntheticCorpus.DEFAULT_SEED));
    var result = new LinkedHashMap<String, Object>();
    long openStart = System.nanoTime();
    try (var store = IndexStore.openReadOnly(data.resolve("index"))) {
      result.put("open_ms", ColdStartCommand.round((System.nanoTime() - openStart) / 1e6, 1));
      result.put("memory_after_open", memory());
      var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
      for (int w = 0; w < warmup; w++) {
        retriever.searchByVector(corpus.queryVector(1000 + w), k);
      }
      double[] millis = new double[queries];
      double recallSum = 0;
      for (int q = 0; q < queries; q++) {
        float[] vector = corpus.queryVector(q);
        long start = System.nanoTime();
        List<SearchHit> hits = retriever.searchByVector(vector, k);
        millis[q] = (System.nanoTime() - start) / 1e6;
        recallSum += recall(hits, topk.get(q));
      }
      Arrays.sort(millis);
      result.put("n_docs", truth.path("n").asInt());
      result.put("queries", queries);
      result.put("k", k);
      result.put("recall_at_k", ColdStartCommand.round(recallSum / queries, 4));
      result.put("p50_ms", ColdStartCommand.round(percentile(millis, 50), 3));
      result.put("p90_ms", ColdStartCommand.round(percentile(millis, 90), 3));
      result.put("p99_ms", ColdStartCommand.round(percentile(millis, 99), 3));
      result.put("max_ms", ColdStartCommand.round(millis[millis.length - 1], 3));
      result.put("mean_ms", ColdStartCommand.round(Arrays.stream(millis).average().orElse(0), 3));
      result.put("segments", store.search(s -> s.getIndexReader().leaves().size()));
      result.put("memory", memory()); // before close: the index's mapped pages count too
    }
    spec.commandLine().getOut().println(BenchJson.write(result));
    return 0;
  }

  private double recall(List<SearchHit> hits, JsonNode expected) {
    var truth = new HashSet<Integer>();
    for (int i = 0; i < k && i < expected.size(); i++) {
      truth.add(expected.get(i).asInt());
    }
    long found =
        hits.stream()
            .filter(h -> truth.contains(SyntheticCorpus.docIndex(h.path(), h.chunk())))
            .count();
    return (double) found / truth.size();
  }

  /** Nearest-rank percentile, as bench.mjs computes it. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }

  /** VmHWM, VmRSS and its parts from /proc/self/status (MiB), plus the Java heap. */
  static Map<String, Object> memory() throws IOException {
    var memory = new LinkedHashMap<String, Object>();
    Path status = Path.of("/proc/self/status");
    if (Files.exists(status)) {
      for (String line : Files.readAllLines(status)) {
        for (String key : List.of("VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem")) {
          if (line.startsWith(key + ":")) {
            long kb = Long.parseLong(line.replaceAll("\\D", ""));
            memory.put(key + "_mib", ColdStartCommand.round(kb / 1024.0, 1));
          }
        }
      }
    }
    Runtime rt = Runtime.getRuntime();
    memory.put("heap_max_mib", rt.maxMemory() >> 20);
    memory.put("heap_committed_mib", rt.totalMemory() >> 20);
    memory.put(
        "jvm_args", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    return memory;
  }

  static List<Integer> ids(List<SearchHit> hits) {
    var ids = new ArrayList<Integer>(hits.size());
    hits.forEach(h -> ids.add(SyntheticCorpus.docIndex(h.path(), h.chunk())));
    return ids;
  }
}
