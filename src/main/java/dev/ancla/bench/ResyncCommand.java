package dev.ancla.bench;

import dev.ancla.Ancla;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Re-sync of unchanged files. Writes N small text files (the synthetic texts), syncs them once
 * (slow: every chunk is embedded; skipped when WORK/data already holds a complete sync of them),
 * then times RUNS syncs with nothing changed, each opening the index for writing as `ancla sync`
 * does. Reports whether any run embedded a chunk or even loaded the model.
 */
@Command(
    name = "resync",
    mixinStandardHelpOptions = true,
    description = "Time re-syncs of N unchanged files (first sync once, then RUNS timed ones).")
final class ResyncCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--work",
      required = true,
      description = "WORK/docs gets the files, WORK/data the index.")
  Path work;

  @Option(names = "--n", defaultValue = "13457")
  int n;

  @Option(names = "--runs", defaultValue = "5")
  int runs;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    Path docs = work.resolve("docs");
    Path data = work.resolve("data");
    BenchAncla.writeSyntheticFiles(docs, n, 1);
    var config = BenchAncla.config(data, docs, Map.of());
    var modelLoaded = new AtomicBoolean();
    var parts =
        BenchAncla.parts(
            config,
            () -> {
              modelLoaded.set(true);
              return OnnxEmbedder.bundled();
            });
    var result = new LinkedHashMap<String, Object>();
    long firstStart = System.nanoTime();
    try (var ancla = Ancla.openForWriting(config, parts)) {
      SyncReport first = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      result.put(
          "first_sync",
          Map.of(
              "s", ColdStartCommand.round((System.nanoTime() - firstStart) / 1e9, 1),
              "added", first.added(),
              "chunks_embedded", first.chunksEmbedded(),
              "unchanged", first.unchanged()));
      err.println("first sync: " + BenchJson.write(result.get("first_sync")));
    }
    modelLoaded.set(false);
    var syncSeconds = new ArrayList<Double>();
    var openToCloseSeconds = new ArrayList<Double>();
    var cpuSeconds = new ArrayList<Double>();
    long embedded = 0;
    long reindexed = 0;
    int unchanged = -1;
    for (int run = 0; run < runs; run++) {
      long open = System.nanoTime();
      try (var ancla = Ancla.openForWriting(config, parts)) {
        long start = System.nanoTime();
        long cpuStart = IngestCommand.cpuNanos();
        SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
        syncSeconds.add((System.nanoTime() - start) / 1e9);
        cpuSeconds.add((IngestCommand.cpuNanos() - cpuStart) / 1e9);
        embedded += report.chunksEmbedded();
        reindexed += report.added() + report.changed() + report.deleted();
        unchanged = report.unchanged();
      }
      openToCloseSeconds.add((System.nanoTime() - open) / 1e9);
      err.println(
          String.format(
              java.util.Locale.ROOT,
              "re-sync %d: %.3f s (cpu %.3f s)",
              run,
              syncSeconds.getLast(),
              cpuSeconds.getLast()));
    }
    result.put("files", n);
    result.put("unchanged_files", unchanged);
    result.put("resync_s", stats(syncSeconds));
    result.put("open_sync_close_s", stats(openToCloseSeconds));
    result.put("resync_cpu_s", stats(cpuSeconds));
    result.put("chunks_embedded", embedded);
    result.put("files_reindexed", reindexed);
    result.put("model_loaded_during_resyncs", modelLoaded.get());
    spec.commandLine().getOut().println(BenchJson.write(result));
    return 0;
  }

  private static Map<String, Object> stats(List<Double> seconds) {
    var sorted = seconds.stream().sorted().toList();
    return Map.of(
        "median", ColdStartCommand.round(ColdStartCommand.median(seconds), 3),
        "min", ColdStartCommand.round(sorted.getFirst(), 3),
        "max", ColdStartCommand.round(sorted.getLast(), 3));
  }
}
