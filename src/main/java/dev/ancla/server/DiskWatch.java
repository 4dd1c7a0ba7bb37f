package dev.ancla.server;

import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether the index can take writes, and makes it writable again once space returns,
 * without a restart. A full disk makes Lucene close its writer (a tragic error); searches go on
 * from the last commit. This logs an ERROR once per failure, with the path, the free space and the
 * space needed; then, each period, once the free space reaches what a write needs, reopens the
 * writer on the last commit ({@link IndexStore#recover}) and runs {@code afterRecovery} (a sync
 * that redoes what the failed one had not committed). Status and readiness read {@link
 * IndexStore#writeFailure} directly.
 */
final class DiskWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DiskWatch.class);

  private final IndexStore index;
  private final Runnable afterRecovery;
  private final ScheduledExecutorService timer;
  private boolean reported; // only the timer thread touches it

  private DiskWatch(IndexStore index, Runnable afterRecovery) {
    this.index = index;
    this.afterRecovery = afterRecovery;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("ancla-disk-watch").factory());
  }

  static DiskWatch start(IndexStore index, Duration period, Runnable afterRecovery) {
    var watch = new DiskWatch(index, afterRecovery);
    watch.timer.scheduleWithFixedDelay(
        watch::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  void check() {
    try {
      var failure = index.writeFailure();
      if (failure.isEmpty()) {
        reported = false;
        return;
      }
      var f = failure.get();
      if (!reported) {
        log.error(
            "{}; searches go on from the last commit, syncs fail until there is space. Ancla"
                + " reopens the index writer by itself once {} is free",
            f.describe(),
            String.format(java.util.Locale.ROOT, "%.1f MiB", f.neededBytes() / 1048576.0));
        reported = true;
      }
      if (f.freeBytes() >= f.neededBytes()) {
        boolean reopened = index.recover();
        log.info(
            "space is back at {} ({} MiB free){}; the index takes writes again",
            f.path(),
            f.freeBytes() >> 20,
            reopened ? ": reopened the index writer on the last commit" : "");
        reported = false;
        afterRecovery.run();
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not reopen the index writer yet: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
