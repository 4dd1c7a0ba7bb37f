package dev.ancla.server;

import dev.ancla.Ancla;
import dev.ancla.BootOutcome;
import dev.ancla.config.Config;
import dev.ancla.index.DataDirLock;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.solr.SolrUnavailable;
import dev.ancla.runtime.Follower;
import dev.ancla.runtime.JobRunner;
import dev.ancla.runtime.LocalIndex;
import dev.ancla.runtime.SnapshotScheduler;
import dev.ancla.runtime.SyncScheduler;
import dev.ancla.runtime.WriterRequests;
import dev.ancla.snapshot.BlobStore;
import dev.ancla.snapshot.BlobStores;
import dev.ancla.snapshot.FollowerCopy;
import dev.ancla.snapshot.WriterLease;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ancla serve}: boots in the order of ARCHITECTURE.md decision 7 and stops gracefully.
 *
 * <p>{@link #start} opens the port at once (liveness answers from the first moment); {@link #open}
 * then locks the data directory and opens the index, which makes the server ready, and starts a
 * sync in the background when the index is missing or was left incomplete. {@link #shutdown} stops
 * taking work, cancels the running job (which commits what is in flight), stops HTTP and closes the
 * index, all within {@code ANCLA_SHUTDOWN_SECONDS}.
 */
public final class AnclaServer {
  private static final Logger log = LoggerFactory.getLogger(AnclaServer.class);

  private final Config config;
  private final Ancla.Parts parts;
  private final Clock clock;
  private final ServerState state = new ServerState();
  private final Metrics metrics;
  private final ProgressEvents events;
  private final HttpApi http;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopping; // guarded by this
  private DiskWatch diskWatch; // guarded by this; present once open
  private Optional<SyncScheduler> syncs = Optional.empty(); // guarded by this
  private Optional<Following> following = Optional.empty(); // guarded by this
  private Optional<WriterRequests> requests = Optional.empty(); // guarded by this

  private AnclaServer(Config config, Ancla.Parts parts, Clock clock, Duration eventPeriod) {
    this.config = config;
    this.parts = parts;
    this.clock = clock;
    this.metrics = new Metrics(state);
    this.events = new ProgressEvents(state, eventPeriod);
    var server = config.server();
    var auth = new Auth(server.adminToken(), server.apiToken());
    this.http = HttpApi.start(new HttpApi.Parts(config, state, auth, metrics, events, clock));
  }

  /** Opens the port; the index is not open yet (readiness says so). */
  public static AnclaServer start(Config config, Ancla.Parts parts, Clock clock) {
    return start(config, parts, clock, Duration.ofMillis(500));
  }

  /**
   * As {@link #start(Config, Ancla.Parts, Clock)}, sending progress events every {@code
   * eventPeriod}.
   */
  public static AnclaServer start(
      Config config, Ancla.Parts parts, Clock clock, Duration eventPeriod) {
    var server = new AnclaServer(config, parts, clock, eventPeriod);
    var spec = config.server();
    log.info(
        "listening on {}:{}; open {} (admin operations {}; search {})",
        spec.host(),
        server.port(),
        server.url(),
        spec.adminToken().isPresent() ? "need ANCLA_ADMIN_TOKEN" : "disabled: no ANCLA_ADMIN_TOKEN",
        spec.apiToken().isPresent() ? "needs ANCLA_API_TOKEN" : "open");
    return server;
  }

  /**
   * Locks the data directory and opens the index; the server is ready when this returns. Starts a
   * sync when there was no index or its last indexing did not finish. Throws when the directory is
   * held by another process or the index cannot be opened; the caller then shuts down.
   */
  public void open() throws IOException {
    if (config.snapshots().isPresent()) {
      BlobStore blobs = BlobStores.open(config.snapshots().get().target());
      try {
        Optional<WriterLease.Record> lease = WriterLease.peek(blobs);
        String self = WriterLease.holderIdOf(config.dataDir());
        if (lease.isPresent() && live(lease.get()) && lease.get().holder().equals(self)) {
          log.info(
              "the writer lease on {} (epoch {}) was left by this data directory's previous"
                  + " process, which is gone: taking it back",
              blobs.describe(),
              lease.get().epoch());
        } else if (lease.isPresent() && live(lease.get())) {
          log.info(
              "{} holds the writer lease on {} (epoch {}): this instance follows",
              lease.get().holder(),
              blobs.describe(),
              lease.get().epoch());
          follow(blobs);
          return;
        }
      } catch (IOException | RuntimeException e) {
        blobs.close(); // fail closed: a store we cannot read is not a server we can run
        throw e;
      }
      blobs.close();
    }
    try {
      openWriterWhenTheIndexAnswers();
    } catch (WriterLease.HeldException e) { // another instance took the lease at the same moment
      log.info("another instance became the writer first: this instance follows");
      follow(BlobStores.open(config.snapshots().orElseThrow().target()));
    }
  }

  /**
   * With the index in Solr (ANCLA_INDEX_URL), a cluster that does not answer at start is waited
   * for, not fatal: a restart would find it as down, and a platform would restart the server again
   * and again. /readyz stays 503 meanwhile; other failures (a schema mismatch) still end the start.
   */
  private void openWriterWhenTheIndexAnswers() throws IOException {
    Duration delay = Duration.ofSeconds(1);
    while (true) {
      try {
        openWriter();
        return;
      } catch (SolrUnavailable e) {
        if (config.solr().isEmpty()) {
          throw e;
        }
        log.warn(
            "the index's Solr cluster does not answer ({}); trying again in {} s, not ready until"
                + " then",
            e.getMessage(),
            delay.toSeconds());
      }
      long until = System.nanoTime() + delay.toNanos();
      while (System.nanoTime() < until) {
        synchronized (this) {
          if (stopping) {
            return;
          }
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for Solr");
        }
      }
      delay = min(delay.multipliedBy(2), Duration.ofSeconds(30));
    }
  }

  private boolean live(WriterLease.Record lease) {
    try {
      return Instant.parse(lease.expiresAt()).isAfter(clock.instant());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Follows the writer (ARCHITECTURE.md decision 16): serves the newest snapshot (readiness turns
   * true once one is served) and the ones published after it; when the writer's lease lapses, tries
   * to become the writer from the snapshot served.
   */
  private void follow(BlobStore blobs) throws IOException {
    var spec = config.snapshots().orElseThrow();
    Follower follower;
    Optional<IndexStore> first;
    DataDirLock lock;
    try {
      lock = DataDirLock.acquire(config.dataDir()); // as a writer's boot: one process per directory
    } catch (IOException | RuntimeException e) {
      blobs.close();
      throw e;
    }
    try {
      var copy = new FollowerCopy(blobs, config.dataDir().resolve("follow"), spec.threads());
      follower = new Follower(blobs, copy, spec.followInterval(), clock, () -> writerGone(blobs));
      first = follower.openNewest();
    } catch (IOException | RuntimeException e) {
      blobs.close();
      lock.close();
      throw e;
    }
    synchronized (this) {
      if (stopping) {
        follower.close();
        first.ifPresent(AnclaServer::closeQuietly);
        blobs.close();
        lock.close();
        return;
      }
      following = Optional.of(new Following(follower, blobs, lock));
    }
    first.ifPresent(store -> serveFollowing(follower, store));
    if (first.isEmpty()) {
      log.info("no snapshot in {} yet: ready once the writer publishes one", blobs.describe());
    }
    follower.start(store -> serveFollowing(follower, store));
  }

  /** A follower, the store it reads and the data directory's lock; closed together. */
  private record Following(Follower follower, BlobStore blobs, DataDirLock lock) {}

  private void serveFollowing(Follower follower, IndexStore store) {
    var served = follower.status().served().orElseThrow();
    var boot =
        new BootOutcome.Restored(
            served.id(), 0, 0, "following the writer (" + config.snapshots().get().target() + ")");
    var ancla = Ancla.following(config, parts, store, boot);
    synchronized (this) {
      if (stopping) {
        closeQuietly(ancla);
        return;
      }
      state.opened(
          new ServerState.Open(
              ancla,
              JobRunner.following(metrics, clock, config.dataDir()),
              Optional.empty(),
              Optional.of(follower)));
    }
    log.info("ready: following; serving snapshot {}", served.id());
  }

  /**
   * The writer's lease lapsed (on the follower's thread): this instance takes the newest snapshot
   * it serves as its index, and opens it as the writer, which takes the lease. When another
   * follower was faster (or opening fails), it follows on, serving what it served all along.
   */
  private void writerGone(BlobStore blobs) {
    Optional<ServerState.Open> before;
    Following was;
    synchronized (this) {
      if (stopping || following.isEmpty()) {
        return;
      }
      was = following.get();
      following = Optional.empty();
      before = state.open();
    }
    long start = System.nanoTime();
    try {
      was.lock().close(); // the writer's Ancla takes it again
      Optional<java.nio.file.Path> served = was.follower().servedDir();
      if (served.isPresent()) {
        LocalIndex.replaceWith(config.indexDir(), served.get());
      }
      openWriter();
      log.info(
          "became the writer in {} ms, from snapshot {}",
          (System.nanoTime() - start) / 1_000_000,
          was.follower().status().served().map(Follower.Served::id).orElse("(none: empty)"));
      was.follower().close();
      closeQuietly(blobs);
      before.ifPresent(o -> closeLater(o.ancla()));
      // the old writer may have died mid-sync: what it never published is redone now
      state.open().ifPresent(o -> syncAfterRecovery(o.jobs()));
    } catch (IOException | RuntimeException e) {
      if (e instanceof WriterLease.HeldException) {
        log.info("another follower became the writer first: following it");
      } else {
        log.error("could not become the writer: {}; following on", e.toString());
      }
      followOn(was);
    }
  }

  /** After a failed take-over: the same follower polls again, its lock taken back. */
  private void followOn(Following was) {
    try {
      var lock = DataDirLock.acquire(config.dataDir());
      synchronized (this) {
        if (stopping) {
          lock.close();
          return;
        }
        following = Optional.of(new Following(was.follower(), was.blobs(), lock));
      }
      was.follower().resume();
    } catch (IOException | RuntimeException e) {
      log.error("could not follow on (the data directory's lock): {}", e.toString());
      was.follower().resume(); // serving goes on; the lock is tried at the next take-over
    }
  }

  /**
   * A search that took the follower's index just before the switch finishes on it: it is closed
   * after a grace far longer than a search takes (its searcher would fail once closed).
   */
  private static void closeLater(Ancla replaced) {
    Thread.ofPlatform()
        .daemon(true)
        .name("ancla-close-replaced")
        .start(
            () -> {
              try {
                Thread.sleep(REPLACED_GRACE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              closeQuietly(replaced);
            });
  }

  private static final Duration REPLACED_GRACE = Duration.ofSeconds(30);

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("could not close {}: {}", closeable.getClass().getSimpleName(), e.toString());
    }
  }

  private void openWriter() throws IOException {
    Ancla ancla = Ancla.openForWriting(config, parts);
    Optional<SnapshotScheduler> snapshots;
    try {
      snapshots = startSnapshots(ancla);
    } catch (IOException | RuntimeException e) {
      ancla.close(); // fail closed: a store we cannot write to is not a server we can run
      throw e;
    }
    var jobs =
        ancla.localIndex().isPresent()
            ? new JobRunner(ancla.sync(), ancla.reindexer(), metrics, clock, config.dataDir())
            : JobRunner.withoutReindex(ancla.sync(), metrics, clock, config.dataDir());
    synchronized (this) {
      if (stopping) { // SIGTERM came while opening
        snapshots.ifPresent(SnapshotScheduler::close);
        ancla.close();
        return;
      }
      state.opened(new ServerState.Open(ancla, jobs, snapshots));
      if (snapshots.isPresent()) {
        var s = snapshots.get();
        var inbox =
            new WriterRequests(
                s.mirror().store(),
                request -> take(request, jobs, s),
                () ->
                    new WriterRequests.WriterState(
                        s.lease().holder(),
                        jobs.current().map(JobView::running).orElse(null),
                        null),
                clock);
        inbox.start(config.snapshots().orElseThrow().followInterval());
        requests = Optional.of(inbox);
      }
      // a full disk is the local index's failure; Solr's nodes report their own
      if (ancla.localIndex().isPresent()) {
        diskWatch =
            DiskWatch.start(
                ancla.localIndex().get(), DISK_WATCH_PERIOD, () -> syncAfterRecovery(jobs));
      }
      Duration interval = config.server().syncInterval();
      if (!interval.isZero()) {
        syncs = Optional.of(new SyncScheduler(jobs, interval));
        log.info(
            "syncing every {} (ANCLA_SYNC_INTERVAL)",
            interval.toString().substring(2).toLowerCase(java.util.Locale.ROOT)); // PT15M: 15m
      }
    }
    log.info("ready: {}", ancla.boot().describe());
    // remote sources answer in their own time: checked off the boot path, reported in the log
    Thread.ofPlatform()
        .daemon(true)
        .name("ancla-source-check")
        .start(() -> ancla.sync().checkSources());
    if (!(ancla.boot() instanceof BootOutcome.Opened)) {
      jobs.submitSync();
    } else {
      reindexIfModelChanged(ancla, jobs);
    }
  }

  /** A follower's admin request, on the writer: false while another job or snapshot runs. */
  private static boolean take(
      WriterRequests.Request request, JobRunner jobs, SnapshotScheduler snapshots) {
    try {
      switch (request.kind()) {
        case "sync" -> jobs.submitSync();
        case "reindex" -> jobs.submitReindex(request.force());
        case "snapshot" -> snapshots.submitNow();
        default -> log.warn("request {} has unknown kind {}", request.id(), request.kind());
      }
      return true;
    } catch (JobRunner.Busy | SnapshotScheduler.Busy e) {
      return false;
    } catch (JobRunner.Stopped e) {
      return true; // shutting down: the next writer is asked again by nobody; said in the log
    }
  }

  private static final Duration DISK_WATCH_PERIOD = Duration.ofSeconds(1);

  /** After a full disk: the failed sync's uncommitted work is gone, so a sync does it again. */
  private static void syncAfterRecovery(JobRunner jobs) {
    try {
      jobs.submitSync();
    } catch (RuntimeException e) {
      log.info("no sync after the disk recovered: {}", e.getMessage()); // one runs already
    }
  }

  /**
   * Decision 3: an index built with another model than the configured one is re-embedded in the
   * background while it serves (else, when the configured sources changed, they are synced) (with
   * BM25 only: its vectors do not match the query model); one written by an older schema is
   * rewritten, keeping its vectors. Checked off the boot path, since it may load the model.
   */
  private static void reindexIfModelChanged(Ancla ancla, JobRunner jobs) {
    Thread.ofPlatform()
        .daemon(true)
        .name("ancla-model-check")
        .start(
            () -> {
              try {
                if (ancla.localIndex().isPresent() && ancla.reindexer().needed()) {
                  var commit = ancla.index().lastCommit().orElseThrow();
                  if (commit.schemaVersion() < IndexSchema.VERSION) {
                    log.warn(
                        "the index was written by an older version of Ancla (schema {}, now {}):"
                            + " rebuilding it in the background; searches use the old index"
                            + " until it is done",
                        commit.schemaVersion(),
                        IndexSchema.VERSION);
                  } else {
                    log.warn(
                        "the index was built with model {}, but another model is configured:"
                            + " re-embedding every chunk in the background; searches use BM25"
                            + " alone until it is done",
                        commit.modelName());
                  }
                  jobs.submitReindex(false);
                } else if (SyncScheduler.sourcesChanged(ancla)) {
                  log.info("the configured sources differ from the index's: syncing now");
                  jobs.submitSync();
                }
              } catch (JobRunner.Busy | JobRunner.Stopped e) {
                log.info("no background job started at boot: {}", e.getMessage());
              } catch (IOException | RuntimeException e) {
                log.warn(
                    "could not compare the index's model with the configured one: {}",
                    e.toString());
              }
            });
  }

  /**
   * After the restore (decision 6's order): takes the snapshot lease over and snapshots after each
   * commit. Throws when the store cannot be reached.
   */
  private Optional<SnapshotScheduler> startSnapshots(Ancla ancla) throws IOException {
    if (ancla.snapshots().isEmpty()) {
      return Optional.empty();
    }
    var spec = config.snapshots().orElseThrow();
    var scheduler =
        new SnapshotScheduler(
            ancla.snapshots().get(), spec.debounce(), metrics, clock, spec.scrubBytesPerDay());
    try {
      scheduler.start();
    } catch (IOException | RuntimeException e) {
      scheduler.close();
      throw e;
    }
    ancla.store().onCommit(scheduler::committed);
    log.info(
        "snapshots to {} after commits (debounce {} s), on demand and on SIGTERM (budget {} s)",
        spec.target(),
        spec.debounce().toSeconds(),
        spec.shutdownBudget().toSeconds());
    return Optional.of(scheduler);
  }

  public int port() {
    return http.port();
  }

  /** Where a browser on this machine reaches the server. */
  public URI url() {
    String host = config.server().host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port());
  }

  /**
   * Stops gracefully within the configured budget: readiness turns false and new work is refused;
   * the running job is cancelled and commits what it has; HTTP stops after requests in flight; the
   * index closes (uncommitted work is discarded, never half-written) and the lock is released.
   * Idempotent; later calls wait for the first.
   */
  public void shutdown() {
    Optional<ServerState.Open> open;
    synchronized (this) {
      if (stopping) {
        awaitShutdown();
        return;
      }
      stopping = true;
      state.stopping();
      open = state.open();
      if (diskWatch != null) {
        diskWatch.close();
      }
      syncs.ifPresent(SyncScheduler::close);
      following.ifPresent(f -> f.follower().close());
      requests.ifPresent(WriterRequests::close);
    }
    long start = System.nanoTime();
    Duration budget = config.server().shutdownBudget();
    // Keep a slice of the budget for stopping HTTP and closing the index after the job.
    Duration reserve = min(Duration.ofSeconds(10), budget.dividedBy(4));
    log.info("shutting down (budget {} s)", budget.toSeconds());
    try {
      if (open.isPresent()) {
        boolean jobEnded = open.get().jobs().stop(budget.minus(reserve));
        if (!jobEnded) {
          log.warn(
              "the running job did not stop within {} s; closing the index discards its work since"
                  + " the last checkpoint",
              budget.minus(reserve).toSeconds());
        }
      }
      if (open.isPresent() && open.get().snapshots().isPresent()) {
        // the sync has committed what it had: publish it, within both budgets
        Duration left = budget.minus(reserve).minus(Duration.ofNanos(System.nanoTime() - start));
        Duration snapshotBudget = min(config.snapshots().orElseThrow().shutdownBudget(), left);
        open.get().snapshots().get().finalSnapshot(max(Duration.ZERO, snapshotBudget));
      }
      events.close();
      Duration left = budget.minus(Duration.ofNanos(System.nanoTime() - start));
      http.stop(min(Duration.ofSeconds(5), left.dividedBy(2)));
      if (open.isPresent()) {
        open.get().ancla().close();
      }
      Optional<Following> followed;
      synchronized (this) {
        followed = following;
      }
      if (followed.isPresent()) {
        followed.get().blobs().close();
        followed.get().lock().close();
      }
      metrics.close();
      log.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | InterruptedException | RuntimeException e) {
      log.error("shutdown did not complete cleanly: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      stopped.countDown();
    }
  }

  /** Blocks until {@link #shutdown} has finished. */
  public void awaitShutdown() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
