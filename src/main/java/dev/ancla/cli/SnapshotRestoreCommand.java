package dev.ancla.cli;

import dev.ancla.index.DataDirLock;
import dev.ancla.snapshot.Restorer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a snapshot into ANCLA_DATA_DIR, which must hold no index.",
      "Without --id, the newest snapshot that verifies (older ones are tried when it fails)."
    })
final class SnapshotRestoreCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--id", description = "The snapshot to restore, e.g. 20261125T101500123Z-7.")
  String id;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    var spec = SnapshotCommand.spec(config);
    Restorer.Restored restored;
    try (var lock = DataDirLock.acquire(config.dataDir());
        var store = SnapshotCommand.open(config)) {
      var restorer = new Restorer(store, spec.threads());
      restored =
          id != null
              ? restorer.restore(id, config.indexDir())
              : restorer
                  .restoreNewest(config.indexDir())
                  .orElseThrow(
                      () -> new IOException("no snapshots in " + store.describe() + " to restore"));
    }
    var m = restored.manifest();
    var out = new LinkedHashMap<String, Object>();
    out.put("id", m.id());
    out.put("files", m.files().size());
    out.put("bytes", restored.bytes());
    out.put("seconds", restored.took().toMillis() / 1000.0);
    out.put("documents", m.documents());
    out.put("chunks", m.chunks());
    out.put("skipped", restored.skipped());
    restored.salvaged().ifPresent(why -> out.put("salvaged", why));
    if (json) {
      context.out().println(Json.write(out));
    } else {
      context
          .out()
          .printf(
              "restored snapshot %s into %s: %,d documents, %,d chunks, %s in %.1f s%n",
              m.id(),
              config.indexDir(),
              m.documents(),
              m.chunks(),
              SnapshotCommand.mb(restored.bytes()),
              restored.took().toMillis() / 1000.0);
      restored.salvaged().ifPresent(why -> context.out().println(why));
    }
    return 0;
  }
}
