package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.sync.Reindexer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = {
      "Re-embed every chunk with the configured model, then switch to the result in one commit.",
      "Run it after changing the model (ANCLA_MODEL_DIR, ANCLA_EMBED_URL). Chunk text comes from"
          + " the index: nothing is read from the sources or parsed again. Until it finishes,"
          + " the old index stays as it was; an interrupted reindex changes nothing."
    })
final class ReindexCommand implements Callable<Integer> {
  @ParentCommand AnclaCommand parent;

  @Option(
      names = "--force",
      description = "Re-embed even when the index already has the configured model's vectors.")
  boolean force;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    try (Ancla ancla = Ancla.openForWriting(config, context.parts().apply(config))) {
      Reindexer reindexer = ancla.reindexer();
      Reindexer.Report report;
      try {
        report =
            SyncRunner.inForeground(
                context, reindexer::cancel, tracker -> reindexer.reindex(tracker, force));
      } catch (Reindexer.UpToDateException e) {
        context
            .out()
            .println(json ? Json.write(java.util.Map.of("upToDate", true)) : e.getMessage());
        return 0;
      }
      context.out().println(json ? Json.write(json(report)) : text(report));
      return report.complete() ? 0 : 1;
    }
  }

  static java.util.Map<String, Object> json(Reindexer.Report r) {
    var map = new LinkedHashMap<String, Object>();
    map.put("upToDate", false);
    map.putAll(r.fields());
    return map;
  }

  static String text(Reindexer.Report r) {
    return r.complete()
        ? String.format(
            Locale.ROOT,
            "reindexed %,d documents with %s (was %s): %,d chunks embedded, %,d reused in %.2f s",
            r.documents(),
            r.toModel(),
            r.fromModel(),
            r.chunksEmbedded(),
            r.chunksReused(),
            r.seconds())
        : "reindex stopped; the index is unchanged (still " + r.fromModel() + ")";
  }
}
