package dev.ancla.cli;

import dev.ancla.logging.ConsoleLog;
import dev.ancla.sync.Progress;
import dev.ancla.sync.ProgressTracker;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a sync's progress: a bar redrawn in place on a terminal, otherwise a log line with counts,
 * rates and ETA every few seconds (container logs are not terminals).
 *
 * <p>While the bar is drawn, log lines go through {@link #printAbove}: the bar is cleared, the line
 * printed on its own, and the bar drawn again below it, so a warning never lands inside the bar.
 */
final class ProgressDisplay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("progress");

  private final Supplier<Progress> progress;
  private final PrintWriter err;
  private final boolean terminal;
  private final Optional<ScheduledExecutorService> timer;
  private final ConsoleLog.Redirection logs;
  private String bar = ""; // guarded by this: what is drawn now, "" when nothing is

  ProgressDisplay(ProgressTracker tracker, PrintWriter err, boolean terminal, Duration logEvery) {
    this(
        tracker::snapshot,
        err,
        terminal,
        ConsoleLog::redirect,
        Optional.of(
            Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ancla-progress").daemon(true).factory())));
    long period = terminal ? 250 : logEvery.toMillis();
    timer.orElseThrow().scheduleAtFixedRate(this::show, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Without a timer: {@link #show} draws when called. {@code redirect} takes the log lines over
   * while a terminal bar may be drawn.
   */
  ProgressDisplay(
      Supplier<Progress> progress,
      PrintWriter err,
      boolean terminal,
      Function<Consumer<String>, ConsoleLog.Redirection> redirect) {
    this(progress, err, terminal, redirect, Optional.empty());
  }

  private ProgressDisplay(
      Supplier<Progress> progress,
      PrintWriter err,
      boolean terminal,
      Function<Consumer<String>, ConsoleLog.Redirection> redirect,
      Optional<ScheduledExecutorService> timer) {
    this.progress = progress;
    this.err = err;
    this.terminal = terminal;
    this.timer = timer;
    this.logs = terminal ? redirect.apply(this::printAbove) : () -> {};
  }

  void show() {
    Progress p = progress.get();
    if (p.phase() != Progress.Phase.INDEXING || p.documentsTotal() == 0) {
      return;
    }
    if (terminal) {
      synchronized (this) {
        bar = bar(p);
        err.print("\r" + bar + "\u001b[K");
        err.flush();
      }
    } else {
      log.info(line(p));
    }
  }

  /** Prints {@code text} (one or more whole lines) above the bar. */
  synchronized void printAbove(String text) {
    if (!bar.isEmpty()) err.print("\r\u001b[K");
    err.print(text);
    if (!text.endsWith("\n")) err.print(System.lineSeparator());
    if (!bar.isEmpty()) err.print(bar + "\u001b[K");
    err.flush();
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
    timer.ifPresent(ScheduledExecutorService::shutdownNow);
    synchronized (this) {
      if (!bar.isEmpty()) {
        err.print("\r\u001b[K");
        err.flush();
        bar = "";
      }
    }
    logs.close();
  }
}
