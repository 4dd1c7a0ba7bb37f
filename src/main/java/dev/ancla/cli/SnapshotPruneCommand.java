package dev.ancla.cli;

import dev.ancla.snapshot.Retention;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Keep the newest ANCLA_SNAPSHOT_KEEP snapshots and delete blobs none of them needs.",
      "Blobs younger than ANCLA_SNAPSHOT_GC_GRACE_MINUTES are kept: an upload may be in progress."
    })
final class SnapshotPruneCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    var spec = SnapshotCommand.spec(config);
    Retention.Pruned pruned;
    try (var store = SnapshotCommand.open(config)) {
      pruned =
          new Retention(spec.keep(), spec.gcGrace(), context.parts().apply(config).clock())
              .prune(store);
    }
    var out = new LinkedHashMap<String, Object>();
    out.put("snapshotsDeleted", pruned.manifestsDeleted());
    out.put("blobsDeleted", pruned.blobsDeleted());
    out.put("bytesDeleted", pruned.bytesDeleted());
    out.put("blobsInGrace", pruned.blobsInGrace());
    if (json) {
      context.out().println(Json.write(out));
    } else {
      context
          .out()
          .printf(
              "deleted %d snapshots and %d blobs (%s); %d unreferenced blobs are younger than the grace period%n",
              pruned.manifestsDeleted().size(),
              pruned.blobsDeleted(),
              SnapshotCommand.mb(pruned.bytesDeleted()),
              pruned.blobsInGrace());
    }
    return 0;
  }
}
