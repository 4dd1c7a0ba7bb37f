package dev.ancla.bench;

import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One kNN search with a precomputed query vector, on a freshly started JVM: what Chroma's cold
 * start measures (spawn → first result of a k=10 query with documents and metadata). Runs the
 * production path: {@link IndexStore#openReadOnly}, then {@link HybridRetriever#searchByVector},
 * stored text included. The embedding model is never loaded.
 *
 * <p>Prints the hits' doc indices on one stdout line. When {@code ANCLA_BENCH_T0_US} holds the
 * spawn time (epoch microseconds, set by {@code bench coldstart}), it also prints to stderr where
 * the time went, in milliseconds since spawn.
 */
@Command(
    name = "first-query",
    mixinStandardHelpOptions = true,
    description =
        "Open the index read-only, run one kNN query for synthetic query vector Q, print the doc ids.")
final class FirstQueryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "Data directory holding index/.")
  Path data;

  @Option(names = "--q", defaultValue = "0", description = "Query vector index (0-1019).")
  int q;

  @Option(names = "--k", defaultValue = "10")
  int k;

  @Option(names = "--seed", defaultValue = "42")
  int seed;

  @Override
  public Integer call() throws Exception {
    long entered = micros();
    float[] vector = new SyntheticCorpus(seed).queryVector(q);
    try (var store = IndexStore.openReadOnly(data.resolve("index"))) {
      long opened = micros();
      var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
      List<SearchHit> hits = retriever.searchByVector(vector, k);
      long searched = micros();
      var line = new StringBuilder();
      for (SearchHit hit : hits) {
        if (!line.isEmpty()) {
          line.append(' ');
        }
        line.append(SyntheticCorpus.docIndex(hit.path(), hit.chunk()));
      }
      spec.commandLine().getOut().println(line);
      spec.commandLine().getOut().flush();
      long printed = micros();
      timings(entered, opened, searched, printed);
    }
    return 0;
  }

  private static long micros() {
    var now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** Phases as ms since spawn: JVM start and CLI parsing, index open, kNN plus text, output. */
  private void timings(long entered, long opened, long searched, long printed) {
    String t0 = System.getenv("ANCLA_BENCH_T0_US");
    if (t0 == null) {
      return;
    }
    long spawn = Long.parseLong(t0);
    spec.commandLine()
        .getErr()
        .println(
            String.format(
                Locale.ROOT,
                "{\"main_ms\":%.1f,\"opened_ms\":%.1f,\"searched_ms\":%.1f,\"printed_ms\":%.1f}",
                (entered - spawn) / 1000.0,
                (opened - spawn) / 1000.0,
                (searched - spawn) / 1000.0,
                (printed - spawn) / 1000.0));
    spec.commandLine().getErr().flush();
  }
}
