package dev.ancla.runtime;

import dev.ancla.index.CommitInfo;
import dev.ancla.snapshot.DamageReports;
import dev.ancla.snapshot.Manifest;
import dev.ancla.snapshot.Scrubber;
import dev.ancla.snapshot.SnapshotMirror;
import dev.ancla.snapshot.StatCheck;
import dev.ancla.snapshot.WriterLease;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
public final class SnapshotScheduler {
  private static final Logger log = LoggerFactory.getLogger(SnapshotScheduler.class);

  /** A snapshot that started. */
  public record Job(String id, String reason, Instant startedAt) {}

  /** The newest published snapshot this server knows of that VERIFIED (it can be restored). */
  public record Last(String id, Instant time, long bytes, long generation) {
    static Last of(Manifest m) {
      return new Last(m.id(), Instant.parse(m.time()), m.bytes(), m.generation());
    }
  }

  /**
   * What this server knows of the store's health: the snapshots marked bad (retention keeps them as
   * evidence), the blobs the last scrubs found damaged and could not repair, and the last scrub.
   */
  public record Integrity(
      List<String> badSnapshots,
      List<String> badBlobs,
      Optional<Instant> lastScrub,
      long scrubbedBytes) {
    static final Integrity UNKNOWN = new Integrity(List.of(), List.of(), Optional.empty(), 0);
  }

  /** Serve scrubs once an hour, a 24th of ANCLA_SNAPSHOT_SCRUB_MB_PER_DAY each time. */
  public static final Duration SCRUB_EVERY = Duration.ofHours(1);

  private final Duration scrubEvery;

  /** Thrown when a snapshot is asked for while one runs. */
  public static final class Busy extends RuntimeException {
    public final Job running;

    Busy(Job running) {
      super("snapshot " + running.id() + " is running", null, false, false);
      this.running = running;
    }
  }

  private final SnapshotMirror mirror;
  private final Duration debounce;
  private final RuntimeMetrics metrics;
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
  private int unverifiedInARow; // guarded by this: published snapshots that did not verify
  private volatile Last last;
  private volatile String lastError;
  private volatile Integrity integrity = Integrity.UNKNOWN;
  private final long scrubBytesPerDay;
  private final Scrubber scrubber;
  private String scrubCursor = ""; // only the executor's thread touches it

  public SnapshotScheduler(
      SnapshotMirror mirror,
      Duration debounce,
      RuntimeMetrics metrics,
      Clock clock,
      long scrubBytesPerDay) {
    this(mirror, debounce, metrics, clock, scrubBytesPerDay, SCRUB_EVERY);
  }

  /** {@code scrubEvery}: how often a scrub pass runs, reading its share of the daily budget. */
  public SnapshotScheduler(
      SnapshotMirror mirror,
      Duration debounce,
      RuntimeMetrics metrics,
      Clock clock,
      long scrubBytesPerDay,
      Duration scrubEvery) {
    this.scrubEvery = scrubEvery;
    this.mirror = mirror;
    this.debounce = debounce;
    this.metrics = metrics;
    this.clock = clock;
    this.scrubBytesPerDay = scrubBytesPerDay;
    this.scrubber = new Scrubber(mirror.store(), mirror.threads(), Optional.of(mirror.local()));
  }

  /**
   * Takes the lease when it is free, expired or ours, else throws {@link WriterLease.HeldException}
   * (this instance then follows), and finds the newest snapshot that verifies (a stat of each of
   * its blobs; one that fails is marked bad). Throws when the store cannot be reached: fail closed.
   * Starts the hourly scrub.
   */
  public void start() throws IOException {
    // Roles come from the lease (decision 16): only a free, expired or own lease is taken; when
    // another instance holds it, HeldException tells the caller to follow instead.
    mirror.lease().acquire();
    var store = mirror.store();
    Manifest.Listing listing = Manifest.listing(store);
    var failed = new LinkedHashMap<String, List<String>>();
    last =
        new StatCheck(store, mirror.threads())
            .newestVerified(listing, failed)
            .map(Last::of)
            .orElse(null);
    var bad = new ArrayList<>(listing.ids().stream().filter(listing.bad()::contains).toList());
    for (var entry : failed.entrySet()) {
      Manifest.markBad(store, entry.getKey(), entry.getValue());
      bad.add(entry.getKey());
      log.error(
          "snapshot {} in {} does not verify, marked bad: {}",
          entry.getKey(),
          store.describe(),
          String.join("; ", entry.getValue()));
    }
    integrity = new Integrity(List.copyOf(bad), List.of(), Optional.empty(), 0);
    if (last == null && !listing.ids().isEmpty()) {
      log.error(
          "no restorable snapshot in {}: none of its {} snapshots verifies; the next snapshot"
              + " re-uploads from the local index",
          store.describe(),
          listing.ids().size());
    }
    long reports = DamageReports.CHECK_EVERY.toMillis();
    executor.scheduleWithFixedDelay(this::repairReported, reports, reports, TimeUnit.MILLISECONDS);
    if (scrubBytesPerDay > 0) {
      long every = scrubEvery.toMillis();
      executor.scheduleWithFixedDelay(this::scheduledScrub, every, every, TimeUnit.MILLISECONDS);
    }
  }

  public Integrity integrity() {
    return integrity;
  }

  /** Whether the store holds a snapshot that verified: what an alert watches. */
  public boolean restorable() {
    return last != null;
  }

  private void scheduledScrub() {
    try {
      long passesPerDay = Math.max(1, Duration.ofDays(1).toMillis() / scrubEvery.toMillis());
      scrub(Math.max(1, scrubBytesPerDay / passesPerDay));
    } catch (IOException | RuntimeException e) {
      log.error("scrub of {} failed: {}", mirror.store().describe(), e.getMessage());
    }
  }

  /** Repairs the blobs that readers elsewhere (a restore, a verify) reported damaged. */
  private void repairReported() {
    if (stopped || lost()) {
      return;
    }
    try {
      Scrubber.Report report = scrubber.repairReported();
      if (report.blobs() > 0) {
        absorb(report, false);
        if (!report.repaired().isEmpty() && last == null) {
          refreshLast();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.error(
          "looking for damage reports in {} failed: {}", mirror.store().describe(), e.getMessage());
    }
  }

  private Scrubber.Report scrub(long budgetBytes) throws IOException {
    Scrubber.Report report = scrubber.pass(scrubCursor, budgetBytes);
    scrubCursor = report.cursor();
    absorb(report, true);
    log.info(
        "scrub of {}: read {} blobs, {} bytes; {} damaged, {} repaired, {} not repairable",
        mirror.store().describe(),
        report.blobs(),
        report.bytes(),
        report.damaged().size(),
        report.repaired().size(),
        report.unrepaired().size());
    return report;
  }

  /** Folds what a pass read into the integrity status; {@code scrub}: a budgeted scrub pass. */
  private void absorb(Scrubber.Report report, boolean scrub) throws IOException {
    var before = integrity;
    // a blob read clean in this pass (repaired meanwhile, or collected) is no longer bad
    var badBlobs = new LinkedHashSet<>(before.badBlobs());
    badBlobs.removeAll(report.read());
    badBlobs.addAll(report.unrepaired());
    var bad = new LinkedHashSet<>(before.badSnapshots());
    bad.addAll(report.markedBad());
    integrity =
        new Integrity(
            List.copyOf(bad),
            List.copyOf(badBlobs),
            scrub ? Optional.of(clock.instant()) : before.lastScrub(),
            before.scrubbedBytes() + (scrub ? report.bytes() : 0));
    if (!report.markedBad().isEmpty() && last != null && report.markedBad().contains(last.id())) {
      last = null; // it needs a blob that cannot be repaired: find the next that verifies
      refreshLast();
    }
  }

  private void refreshLast() throws IOException {
    var store = mirror.store();
    last =
        new StatCheck(store, mirror.threads())
            .newestVerified(Manifest.listing(store), new HashMap<>())
            .map(Last::of)
            .orElse(null);
    if (last != null) {
      return;
    }
    log.error("no restorable snapshot in {}", store.describe());
  }

  public WriterLease lease() {
    return mirror.lease();
  }

  public SnapshotMirror mirror() {
    return mirror;
  }

  public Optional<Last> last() {
    return Optional.ofNullable(last);
  }

  public Optional<String> lastError() {
    return Optional.ofNullable(lastError);
  }

  public synchronized Optional<Job> running() {
    return Optional.ofNullable(running);
  }

  public boolean lost() {
    return mirror.lease().state() instanceof WriterLease.State.Lost;
  }

  /** From {@link dev.ancla.index.IndexStore#onCommit}: (re)starts the quiet period. */
  public synchronized void committed(CommitInfo commit) {
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
  public synchronized Job submitNow() {
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
      if (result.verified()) {
        last = Last.of(m);
        lastError = null;
      } else {
        Optional<String> older = result.newestVerified();
        last = older.isPresent() ? Last.of(Manifest.load(mirror.store(), older.get())) : null;
        lastError =
            "snapshot "
                + m.id()
                + " was published but does not verify (marked bad): "
                + String.join("; ", result.problems());
      }
      var before = integrity;
      integrity =
          new Integrity(
              result.pruned().bad(), before.badBlobs(), before.lastScrub(), before.scrubbedBytes());
      metrics.snapshotPublished(result.took(), result.uploadedBytes());
      if (!result.verified()) {
        metrics.snapshotFailed();
      }
      synchronized (this) {
        unverifiedInARow = result.verified() ? 0 : unverifiedInARow + 1;
      }
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
        } else if (unverifiedInARow > 0 && !stopped && !lost() && pending == null) {
          // what was published does not verify: repair it without waiting for the next commit,
          // backing off (30 s, 1 min, ... 1 h) while the store keeps damaging uploads
          long delay =
              Math.max(
                  debounce.toMillis(),
                  Math.min(
                      Duration.ofHours(1).toMillis(),
                      30_000L << Math.min(7, unverifiedInARow - 1)));
          pending = executor.schedule(this::debounced, delay, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /**
   * On SIGTERM, after the sync has stopped and committed: refuses new work, waits for a snapshot in
   * flight, then publishes the newest commit if it is not yet, all within {@code budget}. Returns
   * false when the budget ran out first (the previous snapshot stays the newest).
   */
  public boolean finalSnapshot(Duration budget) throws InterruptedException {
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
  public void close() {
    synchronized (this) {
      stopped = true;
    }
    executor.shutdownNow();
  }
}
