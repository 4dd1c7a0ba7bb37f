package dev.ancla.server;

import dev.ancla.Ancla;
import dev.ancla.StatusFields;
import dev.ancla.config.Config;
import dev.ancla.index.IndexStore;
import dev.ancla.runtime.Follower;
import dev.ancla.runtime.SnapshotScheduler;
import dev.ancla.snapshot.WriterLease;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Liveness, readiness and status. {@code /healthz} answers 200 as soon as the port is open (the
 * process lives); {@code /readyz} answers 200 once an index is open, restored or local, however
 * much is indexed yet, and 503 again while shutting down (ARCHITECTURE.md decision 7).
 */
final class StatusRoutes {
  private final ServerState state;
  private final Config config;
  private final Clock clock;

  StatusRoutes(ServerState state, Config config, Clock clock) {
    this.state = state;
    this.config = config;
    this.clock = clock;
  }

  private Map<String, Object> lastSnapshot(SnapshotScheduler.Last last) {
    var m = new LinkedHashMap<String, Object>();
    m.put("id", last.id());
    m.put("time", last.time().toString());
    m.put("bytes", last.bytes());
    m.put("ageSeconds", Math.max(0, Duration.between(last.time(), clock.instant()).toSeconds()));
    m.put("verified", true); // lastSnapshot is only ever one that verified
    return m;
  }

  /**
   * {@code {restorable, badSnapshots, badBlobs, lastScrub, scrubbedBytes}}: whether the store holds
   * a snapshot that verified, and what is known to be wrong in it.
   */
  static Map<String, Object> integrity(SnapshotScheduler snapshots) {
    var integrity = snapshots.integrity();
    var m = new LinkedHashMap<String, Object>();
    m.put("restorable", snapshots.restorable());
    m.put("badSnapshots", integrity.badSnapshots());
    m.put("badBlobs", integrity.badBlobs());
    m.put("lastScrub", integrity.lastScrub().map(Object::toString).orElse(null));
    m.put("scrubbedBytes", integrity.scrubbedBytes());
    return m;
  }

  /** {@code {held, epoch, holder, expiresAt}} or, once lost, {@code lostTo: {holder, epoch}}. */
  static Map<String, Object> lease(SnapshotScheduler snapshots) {
    WriterLease lease = snapshots.lease();
    var m = new LinkedHashMap<String, Object>();
    leaseState(lease, m);
    lease.conditionalWrites().ifPresent(c -> m.put("conditionalWrites", c.honoured()));
    return m;
  }

  private static void leaseState(WriterLease lease, LinkedHashMap<String, Object> m) {
    switch (lease.state()) {
      case WriterLease.State.NotTaken() -> {
        m.put("held", false);
        m.put("holder", lease.holder());
      }
      case WriterLease.State.Held(var epoch, var expiresAt) -> {
        m.put("held", true);
        m.put("epoch", epoch);
        m.put("holder", lease.holder());
        m.put("expiresAt", expiresAt.toString());
      }
      case WriterLease.State.Lost(var epoch, var holder, var theirEpoch) -> {
        m.put("held", false);
        m.put("epoch", epoch);
        m.put("holder", lease.holder());
        m.put("lostTo", Map.of("holder", holder, "epoch", theirEpoch));
      }
    }
  }

  /** {@code {error, path, freeBytes, neededBytes, message}}: why the index takes no writes now. */
  static Map<String, Object> writeError(IndexStore.WriteFailure f) {
    var m = new LinkedHashMap<String, Object>();
    m.put("error", f.error());
    m.put("path", f.path().toString());
    m.put("freeBytes", f.freeBytes());
    m.put("neededBytes", f.neededBytes());
    m.put("message", f.describe());
    return m;
  }

  void health(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  void ready(Context ctx) {
    var body = new LinkedHashMap<String, Object>();
    // an index in Solr can stop answering while the server runs: not ready until it answers again
    boolean reachable = state.open().map(o -> o.ancla().reachable()).orElse(true);
    boolean ready = state.ready();
    body.put("ready", ready);
    if (state.isStopping()) {
      body.put("reason", "shutting down");
    } else if (state.open().isEmpty()) {
      body.put("reason", "opening the index");
    } else {
      body.put("boot", state.open().get().ancla().boot().describe());
      if (!reachable) {
        body.put("reason", "no node of the Solr cluster answers (ANCLA_INDEX_URL)");
      }
      // searches go on from the last commit: ready to read, but say it when writes cannot land
      var failure = state.open().get().ancla().localIndex().flatMap(IndexStore::writeFailure);
      body.put("writable", failure.isEmpty());
      failure.ifPresent(f -> body.put("writeError", writeError(f)));
    }
    ctx.status(ready ? 200 : 503).json(body);
  }

  /** The fields of {@code status --json}, plus the job now running, the last one and snapshots. */
  void status(Context ctx) throws Exception {
    var open = state.require();
    Ancla ancla = open.ancla();
    Map<String, Object> body = new LinkedHashMap<>(StatusFields.of(ancla));
    body.put("version", Ancla.VERSION);
    body.put("boot", ancla.boot().describe());
    body.put("job", open.jobs().current().map(JobView::running).orElse(null));
    body.put("lastJob", open.jobs().last().map(JobView::finished).orElse(null));
    var snapshots = open.snapshots();
    body.put(
        "lastSnapshot",
        snapshots.flatMap(SnapshotScheduler::last).map(this::lastSnapshot).orElse(null));
    body.put(
        "snapshot",
        snapshots.flatMap(SnapshotScheduler::running).map(AdminRoutes::snapshotJob).orElse(null));
    body.put("snapshotError", snapshots.flatMap(SnapshotScheduler::lastError).orElse(null));
    body.put("snapshotIntegrity", snapshots.map(StatusRoutes::integrity).orElse(null));
    body.put("lease", snapshots.map(StatusRoutes::lease).orElse(null));
    body.put(
        "indexWriteError",
        ancla
            .localIndex()
            .flatMap(IndexStore::writeFailure)
            .map(StatusRoutes::writeError)
            .orElse(null));
    body.put("role", open.role());
    body.put("follow", open.follower().map(this::follow).orElse(null));
    ctx.json(body);
  }

  /**
   * A follower's view: the writer (from the lease), the snapshot served and how far behind the
   * newest it is, what following downloaded and its errors.
   */
  private Map<String, Object> follow(Follower follower) {
    Follower.Status s = follower.status();
    var m = new LinkedHashMap<String, Object>();
    m.put(
        "writer",
        s.writer()
            .map(w -> Map.<String, Object>of("holder", w.holder(), "epoch", w.epoch()))
            .orElse(null));
    m.put(
        "served",
        s.served()
            .map(
                v ->
                    Map.<String, Object>of(
                        "id", v.id(), "generation", v.generation(), "time", v.time().toString()))
            .orElse(null));
    m.put("writerJob", s.writerState().map(w -> w.job()).orElse(null));
    m.put("writerStateAt", s.writerState().map(w -> w.at()).orElse(null));
    m.put("newest", s.newest().orElse(null));
    double lag = s.lagSeconds(clock);
    m.put("lagSeconds", Double.isNaN(lag) ? null : lag);
    m.put("downloadedBytes", s.downloadedBytes());
    m.put("errors", s.errors());
    m.put("lastError", s.lastError().orElse(null));
    return m;
  }
}
