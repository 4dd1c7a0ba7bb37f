package dev.ancla.snapshot;

import dev.ancla.config.Config.SnapshotTarget;

/** Opens the store a configuration names. */
public final class BlobStores {
  private BlobStores() {}

  public static BlobStore open(SnapshotTarget target) {
    return switch (target) {
      case SnapshotTarget.Folder(var root) -> new FolderBlobStore(root);
      case SnapshotTarget.S3 s3 -> S3BlobStore.open(s3);
    };
  }
}
