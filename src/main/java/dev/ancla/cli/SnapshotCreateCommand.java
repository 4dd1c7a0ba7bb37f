package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.index.DataDirLock;
import dev.ancla.index.IndexStore;
import dev.ancla.snapshot.SnapshotMirror;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Snapshot the index's last commit now, then apply retention.")
final class SnapshotCreateCommand implements Callable<Integer> {
  @ParentCommand SnapshotCommand parent;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  boolean json;

  @Option(
      names = "--take-over",
      description =
          "Take the snapshot lease even when another Ancla holds it (that one then stops publishing)."
              + " Without it, a live lease held elsewhere is an error.")
  boolean takeOver;

  @Override
  public Integer call() throws Exception {
    CliContext context = parent.context();
    var config = context.config();
    SnapshotCommand.spec(config);
    if (!IndexStore.exists(config.indexDir())) {
      throw new NoSuchFileException(
          config.indexDir().toString(), null, "no index to snapshot; run `ancla init` first");
    }
    SnapshotMirror.Result result;
    try (Ancla ancla = Ancla.openForWriting(config, context.parts().apply(config))) {
      SnapshotMirror mirror = ancla.snapshots().orElseThrow();
      if (takeOver) {
        mirror.lease().takeOver();
      }
      result = mirror.snapshot(); // takes the lease if free, renews it while uploading
    } catch (DataDirLock.HeldException e) {
      throw new DataDirLock.HeldException(
          e.getMessage()
              + ". A running server snapshots after its own commits; stop it to snapshot from here");
    }
    var m = result.manifest();
    var out = new LinkedHashMap<String, Object>();
    out.put("id", m.id());
    out.put("files", m.files().size());
    out.put("bytes", m.bytes());
    out.put("uploadedFiles", result.uploadedFiles());
    out.put("uploadedBytes", result.uploadedBytes());
    out.put("seconds", result.seconds());
    out.put("documents", m.documents());
    out.put("chunks", m.chunks());
    out.put("generation", m.generation());
    out.put("prunedSnapshots", result.pruned().manifestsDeleted());
    out.put("prunedBlobs", result.pruned().blobsDeleted());
    out.put("verified", result.verified());
    out.put("problems", result.problems());
    out.put("repairedBlobs", result.repairedBlobs());
    out.put("lastVerified", result.newestVerified().orElse(null));
    if (json) {
      context.out().println(Json.write(out));
    } else {
      context
          .out()
          .printf(
              "snapshot %s: %d files, %s; uploaded %d files, %s in %.1f s%n",
              m.id(),
              m.files().size(),
              SnapshotCommand.mb(m.bytes()),
              result.uploadedFiles(),
              SnapshotCommand.mb(result.uploadedBytes()),
              result.seconds());
      if (!result.verified()) {
        context
            .out()
            .println(
                "snapshot "
                    + m.id()
                    + " does NOT verify and is marked bad; the newest that verifies is "
                    + result.newestVerified().orElse("none")
                    + ":");
        result.problems().forEach(p -> context.out().println("  " + p));
      }
    }
    // a published snapshot that does not verify is a failure: it cannot be restored
    return result.verified() ? 0 : 1;
  }
}
