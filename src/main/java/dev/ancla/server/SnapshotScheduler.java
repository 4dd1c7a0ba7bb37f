package dev.ancla.server;

import dev.ancla.index.CommitInfo;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.SnapshotMirror;
import dev.ancla.snapshot.WriterLease;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the server snapshots (ARCHITECTURE.md decision 5): after commits, once {@code
 * ANCLA_SNAPSHOT_DEBOUNCE_SECONDS} pass without another; on demand; and once more on SIGTERM when
 * the newest commit is not published yet. Contract: at most one snapshot runs; a commit during one
 * schedules another after it (coalesced, never queued up); nothing is published once the lease is
 * lost or after {@link #finalSnapshot}.
 */
final class SnapshotScheduler {
  private static final Logger log = LoggerFactory.getLogger(SnapshotScheduler.class);

  /** A snapshot that started. */
  record Job(String id, String reason, Instant startedAt) {}

  /** The newest published snapshot this server knows of. */
  record Last(String id, Instant time, long bytes, long generation) {}

  /** Thrown when a snapshot is asked for while one runs. */
  static final class Busy extends RuntimeException {
    final Job running;

    Busy(Job running) {
      super("snapshot " + running.id() + " is running", null, false, false);
      this.running = running;
    }
  }

  private final SnapshotMirror mirror;
  private final Duration debounce;
  private final Metrics metrics;
  private final Clock clock;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("ancla-snapshot").factory());
  private final AtomicLong ids = new AtomicLong();
  private ScheduledFuture<?> pending; // guarded by this
  private Job running; // guarded by this
  private Future<?> runningFuture; // guarded by this
  private boolean again; // guarded by this: a commit came while one ran
  private boolean stopped; // guarded by this
  private volatile Last last;
  private volatile String lastError;

  SnapshotScheduler(SnapshotMirror mirror, Duration debounce, Metrics metrics, Clock clock) {
    this.mirror = mirror;
    this.debounce = debounce;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Takes the lease over (the newest instance wins: this one has just restored or opened the index)
   * and reads the newest manifest. Throws when the store cannot be reached: fail closed.
   */
  void start() throws IOException {
    mirror.lease().takeOver();
    var ids = Manifest.ids(mirror.store());
    if (!ids.isEmpty()) {
      Manifest m = Manifest.load(mirror.store(), ids.getFirst());
      last = new Last(m.id(), Instant.parse(m.time()), m.bytes(), m.generation());
    }
  }

  WriterLease lease() {
    return mirror.lease();
  }

  SnapshotMirror mirror() {
    return mirror;
  }

  Optional<Last> last() {
    return Optional.ofNullable(last);
  }

  Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  synchronized Optional<Job> running() {
    return Optional.ofNullable(running);
  }

  boolean lost() {
    return mirror.lease().state() instanceof WriterLease.State.Lost;
  }

  /** From {@link dev.ancla.index.IndexStore#onCommit}: (re)starts the quiet period. */
  synchronized void committed(CommitInfo commit) {
    if (stopped || lost()) {
      return;
    }
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::debounced, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void debounced() {
    pending = null;
    if (stopped) {
      return;
    }
    if (running != null) {
      again = true;
      return;
    }
    begin("after commit", false);
  }

  /** A snapshot now, even of a commit already published. Throws {@link Busy} while one runs. */
  synchronized Job submitNow() {
    if (running != null) {
      throw new Busy(running);
    }
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
    return begin("on demand", true);
  }

  private Job begin(String reason, boolean force) { // holds this
    var job = new Job("snapshot-" + ids.incrementAndGet(), reason, clock.instant());
    running = job;
    runningFuture = executor.submit(() -> run(job, force));
    return job;
  }

  private void run(Job job, boolean force) {
    try {
      long generation =
          mirror
              .lastCommitGeneration()
              .orElseThrow(() -> new IOException("the index has no commit yet"));
      Last known = last;
      if (!force && known != null && known.generation() == generation) {
        log.debug(
            "snapshot {} skipped: generation {} is published as {}",
            job.id(),
            generation,
            known.id());
        return;
      }
      SnapshotMirror.Result result = mirror.snapshot();
      var m = result.manifest();
      last = new Last(m.id(), Instant.parse(m.time()), m.bytes(), m.generation());
      lastError = null;
      metrics.snapshotPublished(result.took(), result.uploadedBytes());
    } catch (WriterLease.LostException e) {
      lastError = e.getMessage(); // the lease logged its WARN once; not a store failure
      log.info("snapshot {} not published: {}", job.id(), e.getMessage());
    } catch (IOException | RuntimeException e) {
      lastError = e.getMessage();
      metrics.snapshotFailed();
      log.error("snapshot {} ({}) failed: {}", job.id(), job.reason(), e.getMessage());
    } finally {
      synchronized (this) {
        running = null;
        runningFuture = null;
        if (again && !stopped && !lost()) {
          again = false;
          begin("after commit", false);
        }
      }
    }
  }

  /**
   * On SIGTERM, after the sync has stopped and committed: refuses new work, waits for a snapshot in
   * flight, then publishes the newest commit if it is not yet, all within {@code budget}. Returns
   * false when the budget ran out first (the previous snapshot stays the newest).
   */
  boolean finalSnapshot(Duration budget) throws InterruptedException {
    long deadline = System.nanoTime() + budget.toNanos();
    Future<?> inFlight;
    synchronized (this) {
      stopped = true;
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
      inFlight = runningFuture;
    }
    try {
      if (inFlight != null && !await(inFlight, deadline)) {
        return false;
      }
      if (lost()) {
        log.info("no final snapshot: this instance lost the snapshot lease");
        return true;
      }
      Future<?> last;
      synchronized (this) {
        var job = new Job("snapshot-" + ids.incrementAndGet(), "shutdown", clock.instant());
        running = job;
        last = executor.submit(() -> run(job, false));
        runningFuture = last;
      }
      return await(last, deadline);
    } finally {
      executor.shutdown();
    }
  }

  private boolean await(Future<?> future, long deadline) throws InterruptedException {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      log.warn(
          "the final snapshot did not finish within ANCLA_SNAPSHOT_SHUTDOWN_SECONDS; the previous"
              + " snapshot stays the newest");
      return false;
    } catch (ExecutionException e) {
      return true; // run() logs its own failures
    }
  }

  /** Stops without a final snapshot (a boot that failed). */
  void close() {
    synchronized (this) {
      stopped = true;
    }
    executor.shutdownNow();
  }
}
