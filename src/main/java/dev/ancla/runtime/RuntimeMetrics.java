package dev.ancla.runtime;

import java.time.Duration;

/**
 * What the runtime reports as it works, so the HTTP layer's metrics registry can count it without
 * the runtime depending on HTTP. Contract: every method is cheap and never throws.
 */
public interface RuntimeMetrics {
  /** A job of {@code kind} (sync, reindex) ended; {@code outcome}: complete, stopped or failed. */
  void jobFinished(String kind, Duration took, String outcome);

  /** A snapshot was published, uploading {@code uploadedBytes}. */
  void snapshotPublished(Duration took, long uploadedBytes);

  /** A snapshot failed, or was published and does not verify. */
  void snapshotFailed();
}
