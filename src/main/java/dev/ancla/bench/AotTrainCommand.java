package dev.ancla.bench;

import dev.ancla.cli.CliContext;
import dev.ancla.cli.CliOption;
import dev.ancla.cli.CommandShape;
import dev.ancla.cli.Main;
import dev.ancla.cli.OneShotCommand;
import dev.ancla.cli.ParsedArgs;
import dev.ancla.index.IndexStore;
import dev.ancla.query.HybridRetriever;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The AOT cache's training workload (scripts/aot-cache.sh): loads the classes that opening an index
 * and searching it need (read-only open, kNN with rescoring, BM25, stored fields), on a small
 * synthetic index, and then runs the one-shot commands as a user does, through the CLI's fast path
 * ({@code search}, {@code ask}, {@code status}, {@code bench first-query}): configuration, logging,
 * the model and JSON output. The classes a run loads here come from the cache in later runs instead
 * of from the jars. It runs on the fast path itself, so that picocli, whose classes the cache
 * cannot hold, is not loaded and nothing in the cache refers to it. With {@code --serve} it trains
 * the serve profile instead: a server's start, requests and stop ({@link ServeTraining}).
 */
public final class AotTrainCommand implements OneShotCommand {
  private static final CommandShape SHAPE =
      new CommandShape(
          List.of("bench", "aot-train"),
          List.of("Training workload for the JDK AOT cache (used by scripts/aot-cache.sh)."),
          Optional.empty(),
          List.of(
              CliOption.text(
                  "--data",
                  "Search this existing synthetic data dir instead of building one: the cache then"
                      + " holds",
                  "only what searching needs, which one-shot commands load faster."),
              CliOption.flag(
                  "--serve",
                  "Train `ancla serve` only, on a synthetic index it builds: its start loads",
                  "none of the one-shot commands' or the indexing's classes.")));

  @Override
  public CommandShape shape() {
    return SHAPE;
  }

  @Override
  public int run(CliContext context, ParsedArgs args) throws Exception {
    Optional<Path> data = args.text("--data").map(Path::of);
    Path dir = data.isPresent() ? data.get() : Files.createTempDirectory("ancla-aot-train");
    try {
      var corpus = SyntheticCorpus.standard();
      if (args.flag("--serve")) {
        // built before the recording matters little: the server opens what indexing wrote
        SyntheticIndex.build(dir.resolve("index"), 2000, corpus);
        ServeTraining.run(dir, context.parts(), corpus);
        context.out().println("trained");
        return 0;
      }
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
      commandLines(context, dir);
      context.out().println("trained");
      return 0;
    } finally {
      if (data.isEmpty()) {
        deleteTree(dir);
      }
    }
  }

  /**
   * The one-shot commands on the synthetic index, in this JVM, with only the data directory
   * configured (a snapshot store or a language model of the user's must not be called here). Their
   * output is dropped; a failure fails the training, since a cache without these classes would make
   * the commands slower without anyone noticing.
   */
  private static void commandLines(CliContext context, Path dir) throws IOException {
    Path sources = Files.createTempDirectory("ancla-aot-sources"); // only read by the config
    try {
      commandLines(context, dir, sources);
    } finally {
      Files.delete(sources);
    }
  }

  private static void commandLines(CliContext context, Path dir, Path sources) {
    var env = new HashMap<String, String>();
    context.env().forEach((k, v) -> env.put(k, v));
    env.keySet().removeIf(k -> k.startsWith("ANCLA_"));
    env.put("ANCLA_DATA_DIR", dir.toString());
    env.put("ANCLA_SOURCES", sources.toString());
    var errors = new StringWriter();
    var quiet =
        new CliContext(
            env,
            new PrintWriter(Writer.nullWriter()),
            new PrintWriter(errors, true),
            false,
            context.parts());
    String data = dir.toString();
    List<List<String>> lines =
        List.of(
            List.of("bench", "first-query", "--data", data, "--q", "1"),
            List.of("search", "--k", "10", "vector search latency"),
            List.of("search", "--json", "--type", "txt", "vector search latency"),
            List.of("ask", "vector search latency"),
            List.of("status"),
            List.of("status", "--json"));
    for (List<String> line : lines) {
      int exit = Main.run(quiet, line.toArray(String[]::new));
      if (exit != 0) {
        throw new IllegalStateException(
            "`ancla " + String.join(" ", line) + "` exited " + exit + ": " + errors);
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
