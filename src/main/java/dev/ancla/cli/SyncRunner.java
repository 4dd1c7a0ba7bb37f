package dev.ancla.cli;

import dev.ancla.Ancla;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncReport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sync (or another index job) in the foreground with progress on stderr. On SIGINT or
 * SIGTERM a sync stops taking new files, writes the ones in flight and commits, so an interrupted
 * run keeps its work.
 */
final class SyncRunner {
  private SyncRunner() {}

  static SyncReport run(Ancla ancla, CliContext context) throws IOException {
    return inForeground(context, ancla.sync()::cancel, tracker -> ancla.sync().sync(tracker));
  }

  /** Work that reports progress to a tracker. */
  interface Work<T> {
    T run(ProgressTracker tracker) throws IOException;
  }

  /**
   * Runs {@code work} with a progress display on stderr; SIGINT or SIGTERM calls {@code cancel} and
   * waits (up to a minute) for the work to wind down.
   */
  static <T> T inForeground(CliContext context, Runnable cancel, Work<T> work) throws IOException {
    var tracker = new ProgressTracker(System::nanoTime);
    var finished = new CountDownLatch(1);
    Runnable stop =
        () -> {
          cancel.run();
          try {
            finished.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread hook = new Thread(stop, "ancla-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    Signals.stopThenExit(stop); // before the JVM's hooks: see Signals
    try (var _ =
        new ProgressDisplay(tracker, context.err(), context.terminal(), Duration.ofSeconds(10))) {
      return work.run(tracker);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running and waits for us
      }
    }
  }

  static String text(SyncReport r) {
    var failed = new StringBuilder();
    for (var source : r.failedSources()) {
      failed
          .append("\nsource ")
          .append(source.id())
          .append(" (")
          .append(source.root())
          .append(") was not synced; its documents were kept: ")
          .append(source.error().orElse(""));
    }
    return summary(r) + failed;
  }

  private static String summary(SyncReport r) {
    return String.format(
        java.util.Locale.ROOT,
        "%s: %,d new, %,d changed, %,d deleted, %,d unchanged, %,d failed, %,d skipped; %,d chunks embedded, %,d reused in %.2f s",
        r.complete() ? "synced" : "stopped early (run sync again to finish)",
        r.added(),
        r.changed(),
        r.deleted(),
        r.unchanged(),
        r.failed(),
        r.skipped(),
        r.chunksEmbedded(),
        r.chunksReused(),
        r.seconds());
  }
}
