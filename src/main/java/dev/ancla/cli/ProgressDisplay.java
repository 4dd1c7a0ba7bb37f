package dev.ancla.cli;

import dev.ancla.sync.Progress;
import dev.ancla.sync.ProgressTracker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a sync's progress: a bar redrawn in place on a terminal, otherwise a log line with counts,
 * rates and ETA every few seconds (container logs are not terminals).
 */
final class ProgressDisplay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("progress");

  private final ProgressTracker tracker;
  private final PrintWriter err;
  private final boolean terminal;
  private final ScheduledExecutorService timer;

  ProgressDisplay(ProgressTracker tracker, PrintWriter err, boolean terminal, Duration logEvery) {
    this.tracker = tracker;
    this.err = err;
    this.terminal = terminal;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ancla-progress").daemon(true).factory());
    long period = terminal ? 250 : logEvery.toMillis();
    timer.scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
  }

  private void show() {
    Progress p = tracker.snapshot();
    if (p.phase() != Progress.Phase.INDEXING || p.documentsTotal() == 0) {
      return;
    }
    if (terminal) {
      err.print("\r" + bar(p) + "\u001b[K");
      err.flush();
    } else {
      log.info(line(p));
    }
  }

  static String bar(Progress p) {
    int width = 28;
    int filled = (int) Math.round(p.fraction() * width);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + line(p);
  }

  static String line(Progress p) {
    return String.format(
        Locale.ROOT,
        "%,d/%,d documents (%.1f%%), %,d chunks embedded (%.1f/s), %,d reused, %,d failed, ETA %s",
        p.documentsDone(),
        p.documentsTotal(),
        p.fraction() * 100,
        p.chunksEmbedded(),
        p.chunksPerSecond(),
        p.chunksReused(),
        p.failed(),
        p.eta().map(ProgressDisplay::duration).orElse("--"));
  }

  static String duration(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return s + "s";
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (terminal) {
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
