package dev.ancla.runtime;

import dev.ancla.index.StorageErrors;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.Reindexer;
import dev.ancla.sync.SyncReport;
import dev.ancla.sync.SyncService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs index jobs (syncs and reindexes: both write the index) one at a time, in the background.
 * Contract: at most one job runs; a submit while one runs throws {@link Busy} naming it; after
 * {@link #stop} nothing new starts.
 */
public final class JobRunner {
  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  /** A job that started; its tracker is live while it runs. */
  public record Job(String id, String kind, Instant startedAt, ProgressTracker progress) {}

  /** What a job did: the fields of its report, and whether it finished its work. */
  public record Outcome(boolean complete, Map<String, Object> report) {}

  /** How a job ended: an outcome, or the error that stopped it. */
  public record Finished(
      Job job, Instant finishedAt, Optional<Outcome> outcome, Optional<String> error) {}

  /** A job's work: runs once with a tracker; {@link #cancel} may come from any thread. */
  private interface Work {
    Outcome run(ProgressTracker progress) throws Exception;

    void cancel();
  }

  /** Thrown when a job is asked for while another runs. */
  public static final class Busy extends RuntimeException {
    private final Job running;

    Busy(Job running) {
      super("job " + running.id() + " is running", null, false, false);
      this.running = running;
    }

    public Job running() {
      return running;
    }
  }

  /** Thrown after {@link #stop}. */
  public static final class Stopped extends RuntimeException {
    Stopped() {
      super("shutting down; no new jobs start", null, false, false);
    }
  }

  private final Optional<SyncService> sync; // empty on a follower: jobs run on the writer
  private final Optional<Reindexer> reindexer;
  private final RuntimeMetrics metrics;
  private final Clock clock;
  private final Path dataDir;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("ancla-job").factory());
  private final AtomicLong ids = new AtomicLong();
  private volatile Job current;
  private volatile Work currentWork;
  private volatile Finished last;
  private volatile CountDownLatch idle = new CountDownLatch(0);
  private boolean stopping;

  /** {@code dataDir}: where the jobs write, named when a write fails for want of space. */
  public JobRunner(
      SyncService sync, Reindexer reindexer, RuntimeMetrics metrics, Clock clock, Path dataDir) {
    this(Optional.of(sync), Optional.of(reindexer), metrics, clock, dataDir);
  }

  private JobRunner(
      Optional<SyncService> sync,
      Optional<Reindexer> reindexer,
      RuntimeMetrics metrics,
      Clock clock,
      Path dataDir) {
    this.sync = sync;
    this.reindexer = reindexer;
    this.metrics = metrics;
    this.clock = clock;
    this.dataDir = dataDir;
  }

  /**
   * A follower's runner: it never runs a job (they run on the writer, ARCHITECTURE.md decision 16);
   * a submit throws {@link IllegalStateException}. It answers {@link #current} and {@link #last}
   * with nothing, so status reads it as any other.
   */
  /**
   * A writer's runner over an index that cannot be rebuilt in place (Solr, ANCLA_INDEX_URL): a
   * reindex throws {@link dev.ancla.index.LocalOnly}.
   */
  public static JobRunner withoutReindex(
      SyncService sync, RuntimeMetrics metrics, Clock clock, Path dataDir) {
    return new JobRunner(Optional.of(sync), Optional.empty(), metrics, clock, dataDir);
  }

  public static JobRunner following(RuntimeMetrics metrics, Clock clock, Path dataDir) {
    return new JobRunner(Optional.empty(), Optional.empty(), metrics, clock, dataDir);
  }

  public Job submitSync() {
    SyncService sync = this.sync.orElseThrow(JobRunner::notHere);
    return submit(
        "sync",
        new Work() {
          @Override
          public Outcome run(ProgressTracker progress) throws Exception {
            SyncReport report = sync.sync(progress);
            return new Outcome(report.complete(), report.fields());
          }

          @Override
          public void cancel() {
            sync.cancel();
          }
        });
  }

  /** A rebuild with the configured model; see {@link Reindexer#reindex} for {@code force}. */
  public Job submitReindex(boolean force) {
    if (this.reindexer.isEmpty() && sync.isPresent()) {
      throw new dev.ancla.index.LocalOnly(
          "re-embedding rebuilds the local index and is not available with ANCLA_INDEX_URL;"
              + " to use another model, point ANCLA_INDEX_URL at a new collection and sync");
    }
    Reindexer reindexer = this.reindexer.orElseThrow(JobRunner::notHere);
    return submit(
        "reindex",
        new Work() {
          @Override
          public Outcome run(ProgressTracker progress) throws Exception {
            Reindexer.Report report = reindexer.reindex(progress, force);
            return new Outcome(report.complete(), report.fields());
          }

          @Override
          public void cancel() {
            reindexer.cancel();
          }
        });
  }

  private static IllegalStateException notHere() {
    return new IllegalStateException("this instance follows the writer; jobs run on the writer");
  }

  private synchronized Job submit(String kind, Work work) {
    if (stopping) {
      throw new Stopped();
    }
    if (current != null) {
      throw new Busy(current);
    }
    var job =
        new Job(
            kind + "-" + ids.incrementAndGet(),
            kind,
            clock.instant(),
            new ProgressTracker(System::nanoTime));
    current = job;
    currentWork = work;
    idle = new CountDownLatch(1);
    CountDownLatch done = idle;
    executor.execute(() -> run(job, work, done));
    return job;
  }

  private void run(Job job, Work work, CountDownLatch done) {
    long start = System.nanoTime();
    Optional<Outcome> outcome = Optional.empty();
    Optional<String> error = Optional.empty();
    try {
      log.info("job {} started", job.id());
      outcome = Optional.of(work.run(job.progress()));
    } catch (Exception | LinkageError e) { // logged here, once; the job's status carries it
      String message = StorageErrors.describe(e, dataDir);
      log.error("job {} failed: {}", job.id(), message);
      error = Optional.of(message);
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      metrics.jobFinished(
          job.kind(),
          took,
          error.isPresent() ? "failed" : outcome.get().complete() ? "complete" : "stopped");
      synchronized (this) {
        last = new Finished(job, clock.instant(), outcome, error);
        current = null;
        currentWork = null;
      }
      done.countDown();
    }
  }

  public Optional<Job> current() {
    return Optional.ofNullable(current);
  }

  public Optional<Finished> last() {
    return Optional.ofNullable(last);
  }

  /**
   * Refuses new jobs, asks the running one to stop (it commits what is in flight) and waits for it
   * up to {@code budget}. Returns false when it did not end in time.
   */
  public boolean stop(Duration budget) throws InterruptedException {
    CountDownLatch done;
    synchronized (this) {
      stopping = true;
      done = idle;
    }
    long deadline = System.nanoTime() + budget.toNanos();
    // Cancel again and again: a sync that is still planning has no pipeline to cancel yet.
    while (!done.await(100, TimeUnit.MILLISECONDS)) {
      Work work = currentWork;
      if (work != null) {
        work.cancel();
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
    }
    executor.shutdown();
    return true;
  }
}
