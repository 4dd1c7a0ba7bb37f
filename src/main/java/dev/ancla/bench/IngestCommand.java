package dev.ancla.bench;

import dev.ancla.Ancla;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.index.IndexSchema;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Ingest throughput end to end against the raw model on the same chunks. Each run syncs the folder
 * into a fresh data directory with {@code SyncService} (parse, chunk, embed, write, commit), then
 * embeds the very chunk texts the sync embedded, read back from the index, with the bare model on
 * the same number of threads. Runs alternate, so both see the same machine noise. The model is
 * loaded once, before any timing, and shared: its load time is in neither figure.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "End-to-end sync throughput vs the raw embedder on the same chunks.")
final class IngestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--docs",
      description = "Folder to index (default: synthetic files, see --files).")
  Optional<Path> docs;

  @Option(
      names = "--files",
      defaultValue = "1000",
      description = "Synthetic text files when no --docs.")
  int files;

  @Option(
      names = "--texts-per-file",
      defaultValue = "1",
      description =
          "Synthetic texts (about 1 KB, 190 tokens each) per file; 16 gives ~18 chunks a file.")
  int textsPerFile;

  @Option(
      names = "--work",
      required = true,
      description = "Scratch directory (data dirs, generated files).")
  Path work;

  @Option(names = "--runs", defaultValue = "3")
  int runs;

  @Option(
      names = "--reindex",
      description =
          "Also time `reindex --force` on each run's index (every chunk re-embedded from the"
              + " stored text) against the same raw rate.")
  boolean reindex;

  @Option(names = "--threads", description = "Embed threads (ANCLA_EMBED_THREADS); default: cores.")
  Optional<Integer> threads;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    Path folder = docs.orElse(work.resolve("synthetic-" + files + "x" + textsPerFile));
    if (docs.isEmpty()) {
      BenchAncla.writeSyntheticFiles(folder, files, textsPerFile);
    }
    var env = new LinkedHashMap<String, String>();
    threads.ifPresent(t -> env.put("ANCLA_EMBED_THREADS", String.valueOf(t)));
    var runsOut = new ArrayList<Map<String, Object>>();
    try (var model = OnnxEmbedder.bundled()) {
      var shared = BenchAncla.shared(model);
      for (int run = 0; run < runs; run++) {
        Path data = work.resolve("ingest-data");
        BenchAncla.deleteTree(data);
        var config = BenchAncla.config(data, folder, env);
        SyncReport report;
        List<String> texts;
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        try (var ancla = Ancla.openForWriting(config, BenchAncla.parts(config, () -> shared))) {
          report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
          double syncSeconds = (System.nanoTime() - start) / 1e9;
          double syncCpuMs = (cpuNanos() - cpuStart) / 1e6;
          texts = chunkTexts(ancla);
          double e2e = report.chunksEmbedded() / syncSeconds;
          long rawCpuStart = cpuNanos();
          double raw = rawRate(shared, texts, config.embedThreads());
          double rawCpuMs = (cpuNanos() - rawCpuStart) / 1e6;
          var r = new LinkedHashMap<String, Object>();
          r.put("files", report.added());
          r.put("failed", report.failed());
          r.put("chunks_embedded", report.chunksEmbedded());
          r.put("distinct_chunk_texts", texts.size());
          r.put("embed_threads", config.embedThreads());
          r.put("parse_threads", config.parseThreads());
          r.put("sync_s", ColdStartCommand.round(syncSeconds, 2));
          r.put("e2e_chunks_per_s", ColdStartCommand.round(e2e, 1));
          r.put("raw_chunks_per_s", ColdStartCommand.round(raw, 1));
          r.put("ratio", ColdStartCommand.round(e2e / raw, 3));
          // CPU time per chunk: what the pipeline adds to the model's own work, whatever else
          // the machine runs; on an otherwise idle machine with all cores busy, wall time follows
          double e2eCpu = syncCpuMs / report.chunksEmbedded();
          double rawCpu = rawCpuMs / texts.size();
          r.put("e2e_cpu_ms_per_chunk", ColdStartCommand.round(e2eCpu, 2));
          r.put("raw_cpu_ms_per_chunk", ColdStartCommand.round(rawCpu, 2));
          r.put("cpu_ratio", ColdStartCommand.round(rawCpu / e2eCpu, 3));
          if (reindex) {
            long reindexStart = System.nanoTime();
            long reindexCpuStart = cpuNanos();
            var rebuilt = ancla.reindexer().reindex(new ProgressTracker(System::nanoTime), true);
            double reindexSeconds = (System.nanoTime() - reindexStart) / 1e9;
            double rate = rebuilt.chunksEmbedded() / reindexSeconds;
            double reindexCpu = (cpuNanos() - reindexCpuStart) / 1e6 / rebuilt.chunksEmbedded();
            r.put("reindex_s", ColdStartCommand.round(reindexSeconds, 2));
            r.put("reindex_chunks_embedded", rebuilt.chunksEmbedded());
            r.put("reindex_chunks_per_s", ColdStartCommand.round(rate, 1));
            r.put("reindex_ratio", ColdStartCommand.round(rate / raw, 3));
            r.put("reindex_cpu_ms_per_chunk", ColdStartCommand.round(reindexCpu, 2));
            r.put("reindex_cpu_ratio", ColdStartCommand.round(rawCpu / reindexCpu, 3));
          }
          runsOut.add(r);
          err.println(String.format(Locale.ROOT, "run %d: %s", run, BenchJson.write(r)));
          err.flush();
        }
      }
    }
    var summary = new LinkedHashMap<String, Object>();
    summary.put("folder", folder.toString());
    summary.put("runs", runsOut);
    summary.put(
        "median_cpu_ratio",
        ColdStartCommand.round(
            ColdStartCommand.median(
                runsOut.stream().map(r -> (Double) r.get("cpu_ratio")).toList()),
            3));
    summary.put(
        "median_ratio",
        ColdStartCommand.round(
            ColdStartCommand.median(runsOut.stream().map(r -> (Double) r.get("ratio")).toList()),
            3));
    if (reindex) {
      for (String key : List.of("reindex_ratio", "reindex_cpu_ratio", "reindex_chunks_per_s")) {
        summary.put(
            "median_" + key,
            ColdStartCommand.round(
                ColdStartCommand.median(runsOut.stream().map(r -> (Double) r.get(key)).toList()),
                3));
      }
    }
    summary.put(
        "median_e2e_chunks_per_s",
        ColdStartCommand.round(
            ColdStartCommand.median(
                runsOut.stream().map(r -> (Double) r.get("e2e_chunks_per_s")).toList()),
            1));
    summary.put(
        "median_raw_chunks_per_s",
        ColdStartCommand.round(
            ColdStartCommand.median(
                runsOut.stream().map(r -> (Double) r.get("raw_chunks_per_s")).toList()),
            1));
    spec.commandLine().getOut().println(BenchJson.write(summary));
    return 0;
  }

  /** CPU time of the whole process (all threads), in ns. */
  static long cpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
  }

  /** The distinct texts of all chunks in the index: what the sync had to embed. */
  static List<String> chunkTexts(Ancla ancla) throws java.io.IOException {
    return ancla
        .store()
        .search(
            s -> {
              var texts = new LinkedHashSet<String>();
              StoredFields stored = s.storedFields();
              var query = new TermQuery(new Term(IndexSchema.KIND, IndexSchema.KIND_CHUNK));
              for (ScoreDoc hit : s.search(query, Math.max(1, s.count(query))).scoreDocs) {
                texts.add(stored.document(hit.doc).get(IndexSchema.TEXT));
              }
              return new ArrayList<>(texts);
            });
  }

  /** Chunks per second of the bare model: one text per call, on {@code threads} threads. */
  static double rawRate(dev.ancla.embed.Embedder model, List<String> texts, int threads)
      throws Exception {
    var pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      var futures = new ArrayList<Future<float[]>>(texts.size());
      for (String text : texts) {
        futures.add(pool.submit(() -> model.embed(text)));
      }
      for (var f : futures) {
        f.get();
      }
      return texts.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdown();
    }
  }
}
