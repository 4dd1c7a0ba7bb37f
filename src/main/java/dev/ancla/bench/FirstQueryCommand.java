package dev.ancla.bench;

import dev.ancla.cli.CliContext;
import dev.ancla.cli.CliOption;
import dev.ancla.cli.CommandShape;
import dev.ancla.cli.OneShotCommand;
import dev.ancla.cli.ParsedArgs;
import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One kNN search with a precomputed query vector, on a freshly started JVM: what Chroma's cold
 * start measures (spawn → first result of a k=10 query with documents and metadata). Runs the
 * production path: the CLI's fast path (as {@code ancla search} does), {@link
 * IndexStore#openReadOnly}, then {@link HybridRetriever#searchByVector}, stored text included. The
 * embedding model is never loaded.
 *
 * <p>Prints the hits' doc indices on one stdout line. When {@code ANCLA_BENCH_T0_US} holds the
 * spawn time (epoch microseconds, set by {@code bench coldstart}), it also prints to stderr where
 * the time went, in milliseconds since spawn.
 */
public final class FirstQueryCommand implements OneShotCommand {
  private static final CommandShape SHAPE =
      new CommandShape(
          List.of("bench", "first-query"),
          List.of(
              "Open the index read-only, run one kNN query for synthetic query vector Q, print the"
                  + " doc ids."),
          Optional.empty(),
          List.of(
              CliOption.requiredText("--data", "Data directory holding index/."),
              CliOption.integer(List.of("--q"), 0, "Query vector index (0-1019)."),
              CliOption.integer(List.of("--k"), 10),
              CliOption.integer(List.of("--seed"), 42)));

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    long entered = micros();
    Path data = Path.of(args.text("--data").orElseThrow());
    float[] vector = new SyntheticCorpus(args.integer("--seed")).queryVector(args.integer("--q"));
    try (var store = IndexStore.openReadOnly(data.resolve("index"))) {
      long opened = micros();
      var retriever = new HybridRetriever(store, SyntheticIndex.analyzer(), Optional.empty());
      List<SearchHit> hits = retriever.searchByVector(vector, args.integer("--k"));
      long searched = micros();
      var line = new StringBuilder();
      for (SearchHit hit : hits) {
        if (!line.isEmpty()) {
          line.append(' ');
        }
        line.append(SyntheticCorpus.docIndex(hit.path(), hit.chunk()));
      }
      context.out().println(line);
      context.out().flush();
      long printed = micros();
      timings(context, entered, opened, searched, printed);
    }
    return 0;
  }

  private static long micros() {
    var now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }

  /** Phases as ms since spawn: JVM start and CLI parsing, index open, kNN plus text, output. */
  private static void timings(
      CliContext context, long entered, long opened, long searched, long printed) {
    String t0 = context.env().get("ANCLA_BENCH_T0_US");
    if (t0 == null) {
      return;
    }
    long spawn = Long.parseLong(t0);
    context
        .err()
        .println(
            String.format(
                Locale.ROOT,
                "{\"main_ms\":%.1f,\"opened_ms\":%.1f,\"searched_ms\":%.1f,\"printed_ms\":%.1f}",
                (entered - spawn) / 1000.0,
                (opened - spawn) / 1000.0,
                (searched - spawn) / 1000.0,
                (printed - spawn) / 1000.0));
    context.err().flush();
  }
}
