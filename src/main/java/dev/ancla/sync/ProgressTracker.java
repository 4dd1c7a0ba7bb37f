package dev.ancla.sync;

import dev.ancla.index.RegistryEntry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/** Counts a sync's work as it happens; thread-safe; {@link #snapshot} is cheap. */
public final class ProgressTracker {
  private final LongSupplier nanoTime;
  private final long start;
  private final AtomicReference<Progress.Phase> phase =
      new AtomicReference<>(Progress.Phase.PLANNING);
  private final AtomicInteger total = new AtomicInteger();
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicLong embedded = new AtomicLong();
  private final AtomicLong reused = new AtomicLong();
  private final AtomicLong bytesTotal = new AtomicLong();
  private final AtomicLong bytesDone = new AtomicLong();

  public ProgressTracker(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  void phase(Progress.Phase next) {
    phase.set(next);
  }

  void planned(int documents) {
    total.set(documents);
  }

  /** Documents to index and their total size, for an estimate that follows bytes. */
  void planned(int documents, long bytes) {
    total.set(documents);
    bytesTotal.set(bytes);
  }

  /** Bytes of work done: a chunk's share of its file, or what is left of a file when it is done. */
  void bytesDone(long bytes) {
    bytesDone.addAndGet(bytes);
  }

  void documentDone(RegistryEntry.Status status, int chunksEmbedded, int chunksReused) {
    embedded.addAndGet(chunksEmbedded);
    reused.addAndGet(chunksReused);
    switch (status) {
      case FAILED -> failed.incrementAndGet();
      case SKIPPED -> skipped.incrementAndGet();
      case OK -> {}
    }
    done.incrementAndGet();
  }

  public Progress snapshot() {
    return new Progress(
        phase.get(),
        total.get(),
        done.get(),
        failed.get(),
        skipped.get(),
        embedded.get(),
        reused.get(),
        Duration.ofNanos(nanoTime.getAsLong() - start),
        bytesTotal.get(),
        bytesDone.get());
  }
}
