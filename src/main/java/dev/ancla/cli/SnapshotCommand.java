package dev.ancla.cli;

import dev.ancla.config.Config;
import dev.ancla.config.ConfigException;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.BlobStores;
import dev.ancla.snapshot.Manifest;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = {
      "Copy the index to ANCLA_SNAPSHOT_URL (S3-compatible storage or a folder) and back.",
      "Snapshots are incremental: only files the store lacks are uploaded."
    },
    subcommands = {
      SnapshotCreateCommand.class,
      SnapshotListCommand.class,
      SnapshotRestoreCommand.class,
      SnapshotVerifyCommand.class,
      SnapshotPruneCommand.class
    })
final class SnapshotCommand {
  @ParentCommand AnclaCommand parent;

  CliContext context() {
    return parent.context();
  }

  /** The snapshot settings, or a configuration error that says how to set them. */
  static Config.SnapshotSpec spec(Config config) {
    return config
        .snapshots()
        .orElseThrow(
            () ->
                new ConfigException(
                    List.of(
                        "ANCLA_SNAPSHOT_URL is not set; name a bucket or a folder, e.g."
                            + " ANCLA_SNAPSHOT_URL=s3://my-space/ancla or ANCLA_SNAPSHOT_URL=/mnt/backups/ancla")));
  }

  static BlobStore open(Config config) {
    return BlobStores.open(spec(config).target());
  }

  /** The newest snapshot's id, or the one asked for. */
  static String pick(BlobStore store, String id) throws IOException {
    if (id != null) {
      return id;
    }
    List<String> ids = Manifest.ids(store);
    if (ids.isEmpty()) {
      throw new IOException(
          "no snapshots in " + store.describe() + " yet; `ancla snapshot create` makes one");
    }
    return ids.getFirst();
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
