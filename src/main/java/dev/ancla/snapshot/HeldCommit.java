package dev.ancla.snapshot;

import java.io.IOException;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.SnapshotDeletionPolicy;

/** Holds a commit so Lucene keeps its files while an upload takes minutes. */
record HeldCommit(SnapshotDeletionPolicy policy, IndexCommit commit) implements AutoCloseable {

  /** Holds the newest commit; fails when the index was never committed. */
  static HeldCommit hold(SnapshotDeletionPolicy policy) throws IOException {
    try {
      return new HeldCommit(policy, policy.snapshot());
    } catch (IllegalStateException e) {
      throw new IOException(
          "the index has no commit yet, so there is nothing to snapshot; run `ancla init` first",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    policy.release(commit);
  }
}
