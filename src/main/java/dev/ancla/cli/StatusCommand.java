package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
    Map<String, Object> status = new LinkedHashMap<>();
    if (!IndexStore.exists(config.indexDir())) {
      status.put("documents", 0);
      status.put("chunks", 0);
      status.put("failed", 0);
      status.put("skipped", 0);
      status.put("model", null);
      status.put("dimension", 0);
      status.put("indexBytes", 0);
      status.put("lastCommit", null);
      status.put("dataDir", config.dataDir().toString());
      status.put("failures", List.of());
    } else {
      try (Ancla ancla = Ancla.openReadOnly(config, context.parts().apply(config))) {
        status = status(ancla);
      }
    }
    if (json) {
      context.out().println(Json.write(status));
    } else {
      print(context, status);
    }
    return 0;
  }

  private static Map<String, Object> status(Ancla ancla) throws java.io.IOException {
    IndexStore store = ancla.store();
    var counts = store.counts();
    Optional<CommitInfo> commit = store.lastCommit();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("documents", counts.documents());
    status.put("chunks", counts.chunks());
    status.put("failed", counts.failed());
    status.put("skipped", counts.skipped());
    status.put("model", commit.map(CommitInfo::modelName).filter(s -> !s.isEmpty()).orElse(null));
    status.put("modelFingerprint", commit.map(CommitInfo::modelFingerprint).orElse(null));
    status.put("dimension", commit.map(CommitInfo::dimension).orElse(0));
    status.put("indexBytes", store.sizeOnDisk());
    status.put(
        "lastCommit",
        commit
            .<Object>map(
                c -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("generation", c.generation());
                  m.put("time", c.committedAt().map(Object::toString).orElse(null));
                  m.put("state", c.state());
                  return m;
                })
            .orElse(null));
    status.put("dataDir", ancla.config().dataDir().toString());
    List<Map<String, String>> failures =
        store.registryEntries(e -> e.status() == RegistryEntry.Status.FAILED).stream()
            .limit(100)
            .map(e -> Map.of("source", e.source(), "path", e.path(), "error", e.error().orElse("")))
            .toList();
    status.put("failures", failures);
    return status;
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
