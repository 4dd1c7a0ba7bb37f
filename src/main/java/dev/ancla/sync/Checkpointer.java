package dev.ancla.sync;

import dev.ancla.index.ChunkIndex;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits every N chunks or T seconds of indexing (ARCHITECTURE.md decision 4), so a killed process
 * redoes at most one checkpoint of work.
 */
final class Checkpointer {
  private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);

  private final ChunkIndex store;
  private final int everyChunks;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private final Supplier<Map<String, String>> commitData;
  private int chunksSinceCommit;
  private long lastCommit;
  private int commits;

  Checkpointer(
      ChunkIndex store,
      int everyChunks,
      Duration every,
      LongSupplier nanoTime,
      Supplier<Map<String, String>> commitData) {
    this.store = store;
    this.everyChunks = everyChunks;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
    this.commitData = commitData;
    this.lastCommit = nanoTime.getAsLong();
  }

  /** Called after each written document; true when it committed. */
  synchronized boolean written(int chunks) throws IOException {
    chunksSinceCommit += chunks;
    if (chunksSinceCommit >= everyChunks || nanoTime.getAsLong() - lastCommit >= everyNanos) {
      commitNow();
      return true;
    }
    return false;
  }

  synchronized void commitNow() throws IOException {
    var info = store.commit(commitData.get());
    commits++;
    log.debug(
        "checkpoint: generation {}, {} documents, {} chunks",
        info.generation(),
        info.documents(),
        info.chunks());
    chunksSinceCommit = 0;
    lastCommit = nanoTime.getAsLong();
  }

  synchronized int commits() {
    return commits;
  }
}
