package dev.ancla.server;

import dev.ancla.index.IndexStore;
import dev.ancla.runtime.Follower;
import dev.ancla.runtime.RuntimeMetrics;
import dev.ancla.runtime.SnapshotScheduler;
import dev.ancla.sync.Progress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics (Micrometer): index counts, the running job's progress, search latency, sync
 * durations and the JVM's own. Gauges are read at scrape time; index counts are cached for a second
 * so one scrape costs one count, not one per gauge.
 */
final class Metrics implements RuntimeMetrics, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ServerState state;
  private final Timer search;
  private final Timer answer;
  private final Timer snapshotDuration;
  private final Counter snapshotBytes;
  private final Counter snapshotFailures;
  private volatile CachedCounts cached = new CachedCounts(Optional.empty(), 0);

  private record CachedCounts(Optional<IndexStore.Counts> counts, long atNanos) {}

  Metrics(ServerState state) {
    this.state = state;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    countGauge("ancla.documents", "files indexed without error", IndexStore.Counts::documents);
    countGauge("ancla.chunks", "chunks in the index", IndexStore.Counts::chunks);
    countGauge(
        "ancla.documents.failed", "files that could not be indexed", IndexStore.Counts::failed);
    countGauge(
        "ancla.documents.skipped", "files that are not documents", IndexStore.Counts::skipped);
    Gauge.builder("ancla.ready", state, s -> s.ready() ? 1 : 0)
        .description("1 when an index is open and the server takes work")
        .register(registry);
    Gauge.builder(
            "ancla.index.writable",
            state,
            s ->
                s.open()
                    .map(
                        o ->
                            o.ancla().localIndex().flatMap(l -> l.writeFailure()).isEmpty() ? 1 : 0)
                    .orElse(1))
        .description("0 while the index takes no writes (a full disk); searches go on")
        .register(registry);
    Gauge.builder("ancla.jobs.running", this, m -> m.progress().isPresent() ? 1 : 0)
        .description("index jobs running now (at most 1)")
        .register(registry);
    progressGauge(
        "ancla.sync.documents.total",
        "files the running sync plans to index",
        Progress::documentsTotal);
    progressGauge(
        "ancla.sync.documents.done",
        "files the running sync has finished",
        Progress::documentsDone);
    progressGauge(
        "ancla.sync.documents.queued",
        "files the running sync has still to index",
        p -> p.documentsTotal() - p.documentsDone());
    progressGauge(
        "ancla.sync.chunks.embedded",
        "chunks the running sync has embedded",
        Progress::chunksEmbedded);
    progressGauge(
        "ancla.embed.rate",
        "chunks embedded per second by the running sync",
        Progress::chunksPerSecond);
    Gauge.builder("ancla.snapshot.age", this, Metrics::snapshotAgeSeconds)
        .baseUnit("seconds")
        .description(
            "seconds since the newest snapshot that verified (NaN: none, or snapshots are off)")
        .register(registry);
    Gauge.builder("ancla.snapshot.last.verified.age", this, Metrics::snapshotAgeSeconds)
        .baseUnit("seconds")
        .description(
            "seconds since the newest snapshot that verified (NaN: none, or snapshots are off)")
        .register(registry);
    snapshotGauge(
        "ancla.snapshot.restorable",
        "1 when the store holds a snapshot that verified; 0 when none can be restored (alert)",
        s -> s.restorable() ? 1.0 : 0.0);
    snapshotGauge(
        "ancla.snapshot.bad.snapshots",
        "snapshots in the store marked bad (failed verification; kept as evidence)",
        s -> s.integrity().badSnapshots().size());
    snapshotGauge(
        "ancla.snapshot.bad.blobs",
        "blobs the scrub found damaged and could not repair from the local index",
        s -> s.integrity().badBlobs().size());
    Gauge.builder(
            "ancla.snapshot.lease.held",
            state,
            s ->
                s.open()
                    .flatMap(ServerState.Open::snapshots)
                    .map(
                        x ->
                            x.lease().state() instanceof dev.ancla.snapshot.WriterLease.State.Held
                                ? 1.0
                                : 0.0)
                    .orElse(Double.NaN))
        .description("1 while this instance holds the snapshot lease; 0 when it lost it")
        .register(registry);
    Gauge.builder(
            "ancla.role.writer",
            state,
            s -> s.open().map(o -> o.follower().isEmpty() ? 1.0 : 0.0).orElse(Double.NaN))
        .description("1 on the writer; 0 on a follower (NaN while the index opens)")
        .register(registry);
    followGauge(
        "ancla.follow.served.generation",
        "the Lucene generation of the snapshot a follower serves",
        f -> f.served().map(v -> (double) v.generation()).orElse(Double.NaN));
    followGauge(
        "ancla.follow.lag.seconds",
        "how far the snapshot a follower serves is behind the newest one (0: it is the newest)",
        f -> f.lagSeconds(Clock.systemUTC()));
    followGauge(
        "ancla.follow.errors",
        "polls and snapshots a follower could not follow (it keeps serving the last good one)",
        f -> f.errors());
    followGauge(
        "ancla.follow.downloaded.bytes",
        "bytes a follower downloaded to follow new snapshots",
        f -> f.downloadedBytes());
    snapshotDuration =
        Timer.builder("ancla.snapshot.duration")
            .description("time a published snapshot took (upload and manifest)")
            .register(registry);
    snapshotBytes =
        Counter.builder("ancla.snapshot.uploaded")
            .baseUnit("bytes")
            .description("bytes uploaded by snapshots (files the store already had are not sent)")
            .register(registry);
    snapshotFailures =
        Counter.builder("ancla.snapshot.failures")
            .description("snapshots that failed (store errors; a lost lease is not counted)")
            .register(registry);
    search =
        Timer.builder("ancla.search")
            .description("time to answer /api/search")
            .publishPercentileHistogram()
            .register(registry);
    answer =
        Timer.builder("ancla.answer")
            .description("time to answer /api/ask, retrieval and answer writing included")
            .publishPercentileHistogram()
            .register(registry);
  }

  private void countGauge(
      String name, String description, ToDoubleFunction<IndexStore.Counts> value) {
    Gauge.builder(name, this, m -> m.counts().map(value::applyAsDouble).orElse(Double.NaN))
        .description(description)
        .register(registry);
  }

  private void snapshotGauge(
      String name, String description, ToDoubleFunction<SnapshotScheduler> value) {
    Gauge.builder(
            name,
            state,
            s ->
                s.open()
                    .flatMap(ServerState.Open::snapshots)
                    .map(value::applyAsDouble)
                    .orElse(Double.NaN))
        .description(description)
        .register(registry);
  }

  private void followGauge(
      String name, String description, ToDoubleFunction<Follower.Status> value) {
    Gauge.builder(
            name,
            state,
            s ->
                s.open()
                    .flatMap(ServerState.Open::follower)
                    .map(f -> value.applyAsDouble(f.status()))
                    .orElse(Double.NaN))
        .description(description)
        .register(registry);
  }

  private void progressGauge(String name, String description, ToDoubleFunction<Progress> value) {
    Gauge.builder(name, this, m -> m.progress().map(value::applyAsDouble).orElse(0.0))
        .description(description)
        .register(registry);
  }

  private Optional<Progress> progress() {
    return state.open().flatMap(o -> o.jobs().current()).map(j -> j.progress().snapshot());
  }

  private Optional<IndexStore.Counts> counts() {
    CachedCounts current = cached;
    if (current.counts().isPresent() && System.nanoTime() - current.atNanos() < 1_000_000_000L) {
      return current.counts();
    }
    Optional<IndexStore.Counts> fresh =
        state
            .open()
            .map(
                o -> {
                  try {
                    return o.ancla().index().counts();
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    cached = new CachedCounts(fresh, System.nanoTime());
    return fresh;
  }

  private double snapshotAgeSeconds() {
    return state
        .open()
        .flatMap(ServerState.Open::snapshots)
        .flatMap(SnapshotScheduler::last)
        .map(l -> Math.max(0, System.currentTimeMillis() - l.time().toEpochMilli()) / 1000.0)
        .orElse(Double.NaN);
  }

  @Override
  public void snapshotPublished(Duration took, long uploadedBytes) {
    snapshotDuration.record(took);
    snapshotBytes.increment(uploadedBytes);
  }

  @Override
  public void snapshotFailed() {
    snapshotFailures.increment();
  }

  Timer search() {
    return search;
  }

  Timer answer() {
    return answer;
  }

  /** Records a finished sync; {@code outcome} is complete, stopped or failed. */
  /** A job of {@code kind} (sync, reindex) ended: {@code ancla_<kind>_duration_seconds}. */
  @Override
  public void jobFinished(String kind, Duration took, String outcome) {
    Timer.builder("ancla." + kind + ".duration")
        .description("time a " + kind + " job took, by how it ended")
        .tag("outcome", outcome)
        .register(registry)
        .record(took);
  }

  /** The Prometheus text exposition. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
