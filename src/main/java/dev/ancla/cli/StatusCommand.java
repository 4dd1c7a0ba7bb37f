package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.StatusFields;
import dev.ancla.index.IndexStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show what the index holds: counts, model, size, last commit, failed files.")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Option(names = "--json", description = "Print the status as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    Map<String, Object> status;
    if (!IndexStore.exists(config.indexDir())) {
      status = StatusFields.none(config);
    } else {
      try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
        status = StatusFields.of(ancla);
      }
    }
    if (json) {
      context.out().println(Json.write(status));
    } else {
      print(context, status);
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static void print(CliContext context, Map<String, Object> s) {
    var out = context.out();
    out.printf(
        Locale.ROOT,
        "documents: %,d   chunks: %,d   failed: %,d   skipped (not documents): %,d%n",
        ((Number) s.get("documents")).longValue(),
        ((Number) s.get("chunks")).longValue(),
        ((Number) s.get("failed")).longValue(),
        ((Number) s.get("skipped")).longValue());
    out.printf(
        Locale.ROOT,
        "model: %s (%s dimensions)   index: %.1f MB in %s%n",
        s.get("model") == null ? "none yet" : s.get("model"),
        s.get("dimension"),
        ((Number) s.get("indexBytes")).longValue() / 1e6,
        s.get("dataDir"));
    var commit = (Map<String, Object>) s.get("lastCommit");
    out.println(
        commit == null
            ? "last commit: none (run `ancla init`)"
            : "last commit: generation "
                + commit.get("generation")
                + " at "
                + commit.get("time")
                + " ("
                + commit.get("state")
                + ")");
    var failures = (List<Map<String, String>>) s.get("failures");
    if (!failures.isEmpty()) {
      out.println("failed files:");
      failures.forEach(f -> out.println("  " + f.get("path") + ": " + f.get("error")));
    }
  }
}
