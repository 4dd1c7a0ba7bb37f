package dev.ancla.bench;

import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The AOT cache's training workload (scripts/aot-cache.sh): loads the classes that opening an index
 * and searching it need (read-only open, kNN with rescoring, BM25, stored fields), on a small
 * synthetic index in a temporary directory. The classes a run loads here come from the cache in
 * later runs instead of from the jars.
 */
@Command(
    name = "aot-train",
    mixinStandardHelpOptions = true,
    description = "Training workload for the JDK AOT cache (used by scripts/aot-cache.sh).")
final class AotTrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--data",
      description = {
        "Search this existing synthetic data dir instead of building one: the cache then holds",
        "only what searching needs, which one-shot commands load faster."
      })
  Optional<Path> data;

  @Override
  public Integer call() throws Exception {
    Path dir = data.isPresent() ? data.get() : Files.createTempDirectory("ancla-aot-train");
    try {
      var corpus = SyntheticCorpus.standard();
      if (data.isEmpty()) {
        SyntheticIndex.build(dir.resolve("index"), 2000, corpus);
      }
      for (int round = 0; round < 3; round++) {
        try (var store = IndexStore.openReadOnly(dir.resolve("index"))) {
          var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
          for (int q = 0; q < 20; q++) {
            retriever.searchByVector(corpus.queryVector(q), 10);
          }
          retriever.search("vector search latency", 10);
        }
      }
      spec.commandLine().getOut().println("trained");
      return 0;
    } finally {
      if (data.isEmpty()) {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
