package dev.ancla.sync;

import java.time.Duration;

/**
 * What one sync did.
 *
 * @param complete false when it was cancelled before every file was indexed
 */
public record SyncReport(
    int added,
    int changed,
    int deleted,
    int unchanged,
    int failed,
    int skipped,
    long chunksEmbedded,
    long chunksReused,
    Duration elapsed,
    boolean complete,
    long generation) {

  public double seconds() {
    return elapsed.toNanos() / 1e9;
  }
}
