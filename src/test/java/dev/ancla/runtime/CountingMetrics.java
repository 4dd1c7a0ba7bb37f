package dev.ancla.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what the runtime reports, so a test can check that it reported it. */
final class CountingMetrics implements RuntimeMetrics {
  final AtomicInteger jobs = new AtomicInteger();
  final AtomicInteger published = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  @Override
  public void jobFinished(String kind, Duration took, String outcome) {
    jobs.incrementAndGet();
  }

  @Override
  public void snapshotPublished(Duration took, long uploadedBytes) {
    published.incrementAndGet();
  }

  @Override
  public void snapshotFailed() {
    failed.incrementAndGet();
  }
}
