package dev.ancla.sync;

import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexRebuild;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-embeds every chunk with the configured model and swaps the result in atomically
 * (ARCHITECTURE.md decision 3). Chunk text is stored in the index, so nothing is read from the
 * sources or parsed again; chunk boundaries stay as they were. While it runs, searches see the old
 * generation; a failure, a cancel or a crash leaves the old generation as it was.
 *
 * <p>Not resumable: the new generation becomes durable only with its one commit, so a process
 * killed half-way starts the rebuild again (serve does so at boot, see {@link #needed}).
 */
public final class Reindexer {
  private static final Logger log = LoggerFactory.getLogger(Reindexer.class);

  private final IndexStore store;
  private final Embedder embedder;
  private final int embedThreads;
  private final int refreshEveryChunks;
  private final String version;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private volatile boolean cancelled;

  /**
   * @param refreshEveryChunks how often (in written chunks) the rebuild's own view is refreshed so
   *     that equal texts written earlier lend their new vectors
   */
  public Reindexer(
      IndexStore store,
      Embedder embedder,
      int embedThreads,
      int refreshEveryChunks,
      String version,
      Clock clock,
      LongSupplier nanoTime) {
    this.store = store;
    this.embedder = embedder;
    this.embedThreads = embedThreads;
    this.refreshEveryChunks = refreshEveryChunks;
    this.version = version;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /**
   * What one reindex did.
   *
   * @param complete false when it was cancelled (the old generation then stays)
   */
  public record Report(
      String fromModel,
      String toModel,
      int documents,
      long chunksEmbedded,
      long chunksReused,
      Duration elapsed,
      boolean complete,
      long generation) {
    public double seconds() {
      return elapsed.toNanos() / 1e9;
    }

    /** The fields of {@code reindex --json} and of the job's report in the HTTP API. */
    public Map<String, Object> fields() {
      var m = new java.util.LinkedHashMap<String, Object>();
      m.put("fromModel", fromModel);
      m.put("toModel", toModel);
      m.put("documents", documents);
      m.put("chunksEmbedded", chunksEmbedded);
      m.put("chunksReused", chunksReused);
      m.put("seconds", Math.round(seconds() * 1000) / 1000.0);
      m.put("complete", complete);
      m.put("generation", generation);
      return m;
    }
  }

  /** The index is already embedded with the configured model, and no rebuild was forced. */
  public static final class UpToDateException extends IllegalStateException {
    UpToDateException(String message) {
      super(message);
    }
  }

  /**
   * True when the index has vectors of another model than the configured one, so that only a
   * reindex makes vector search work again, or was written by an older schema (e.g. without the
   * n-gram fields), which only a rebuild brings up to date. Loads the configured model unless its
   * fingerprint is known without loading (the bundled model's).
   */
  public boolean needed() throws IOException {
    Optional<CommitInfo> last = store.lastCommit();
    if (last.isEmpty() || last.get().modelFingerprint().isEmpty()) {
      return false;
    }
    return last.get().schemaVersion() < IndexSchema.VERSION
        || !last.get().modelFingerprint().equals(embedder.fingerprint());
  }

  /** Asks a running reindex to stop; it then abandons its work and the old generation stays. */
  public void cancel() {
    cancelled = true;
  }

  /**
   * Rebuilds the index with the configured model. Throws {@link UpToDateException} when the index
   * already has this model's vectors and {@code force} is false.
   */
  public Report reindex(ProgressTracker progress, boolean force) throws IOException {
    cancelled = false;
    long start = nanoTime.getAsLong();
    CommitInfo before =
        store
            .lastCommit()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the index is empty: nothing to reindex; run a sync to build it"));
    ModelInfo model = embedder.info();
    String from = before.modelName().isEmpty() ? "no model" : before.modelName();
    boolean sameModel = before.modelFingerprint().equals(model.fingerprint());
    boolean oldSchema = before.schemaVersion() < IndexSchema.VERSION;
    if (!force && sameModel && !oldSchema) {
      throw new UpToDateException(
          "the index is already embedded with the configured model "
              + model.name()
              + " and has every field of this version; nothing to reindex (force it to rebuild"
              + " anyway)");
    }
    needsRoom(store.usableSpace(), store.sizeOnDisk(), before.dimension(), model.dimension())
        .ifPresent(
            problem -> {
              throw new IllegalStateException(problem);
            });
    log.info(
        "reindex: {} {} chunks of {} documents with {} (was {}, schema {} to {}); searches use the"
            + " old index until it is done",
        sameModel ? "rewriting, with their vectors kept," : "re-embedding",
        before.chunks(),
        before.documents(),
        model.name(),
        from,
        before.schemaVersion(),
        IndexSchema.VERSION);
    try (IndexRebuild rebuild = store.beginRebuild();
        VectorReuse reuse = VectorReuse.forRebuild(rebuild)) {
      List<RegistryEntry> entries = rebuild.oldRegistry();
      progress.planned(entries.size());
      progress.phase(Progress.Phase.INDEXING);
      boolean complete = copy(rebuild, entries, reuse, sameModel, progress);
      Progress p = progress.snapshot();
      if (!complete) {
        log.info(
            "reindex stopped after {} of {} documents; the index stays as it was ({})",
            p.documentsDone(),
            entries.size(),
            from);
        progress.phase(Progress.Phase.DONE);
        return report(from, model, p, start, false, before.generation());
      }
      progress.phase(Progress.Phase.COMMITTING);
      CommitInfo info = rebuild.commit(commitData(before, model));
      progress.phase(Progress.Phase.DONE);
      Report report = report(from, model, p, start, true, info.generation());
      log.info(
          "reindex done: {} documents, {} chunks embedded, {} reused, with {} in {}",
          report.documents(),
          report.chunksEmbedded(),
          report.chunksReused(),
          model.name(),
          String.format(java.util.Locale.ROOT, "%.2f s", report.seconds()));
      return report;
    }
  }

  /**
   * The new generation is written beside the old one, so the disk must hold both until the swap:
   * what it lacks, if anything. The new one is estimated as the old one scaled by the vector
   * dimension when that grows (vectors are most of an index), and 10% more for merges.
   */
  static Optional<String> needsRoom(
      long usable, long indexBytes, int oldDimension, int newDimension) {
    double scale = oldDimension > 0 ? Math.max(1.0, (double) newDimension / oldDimension) : 1.0;
    long needed = (long) (indexBytes * scale * 1.1);
    if (usable >= needed) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            java.util.Locale.ROOT,
            "not enough disk for a reindex: it writes a second copy of the index (%,d MB now,"
                + " about %,d MB with the new model) beside the first until it swaps them, and only"
                + " %,d MB are free in the data directory. Free some space or give it a bigger"
                + " disk; the index stays as it is",
            indexBytes >> 20,
            needed >> 20,
            usable >> 20));
  }

  private Report report(
      String from, ModelInfo model, Progress p, long start, boolean complete, long generation) {
    return new Report(
        from,
        model.name(),
        p.documentsDone(),
        p.chunksEmbedded(),
        p.chunksReused(),
        Duration.ofNanos(nanoTime.getAsLong() - start),
        complete,
        generation);
  }

  /**
   * Copies every entry with its chunks re-embedded, or, with {@code keepVectors} (the model did not
   * change), with the vectors they had; embedding overlaps reading and writing, with a bound on
   * documents in flight. Returns false when cancelled; throws on the first failure.
   */
  private boolean copy(
      IndexRebuild rebuild,
      List<RegistryEntry> entries,
      VectorReuse reuse,
      boolean keepVectors,
      ProgressTracker progress)
      throws IOException {
    int inFlightLimit = 2 * embedThreads + 2;
    var permits = new Semaphore(inFlightLimit);
    var fatal = new AtomicReference<Throwable>();
    var written = new AtomicLong();
    long refreshedAt = 0;
    int started = 0;
    try (ExecutorService embedders =
            Executors.newFixedThreadPool(embedThreads, Pipeline.named("ancla-reindex-embed"));
        ExecutorService writer =
            Executors.newSingleThreadExecutor(Pipeline.named("ancla-reindex-write"))) {
      for (RegistryEntry entry : entries) {
        if (cancelled || fatal.get() != null) {
          break;
        }
        permits.acquireUninterruptibly();
        if (written.get() - refreshedAt >= refreshEveryChunks) {
          refreshedAt = written.get();
          rebuild.refreshWritten();
          reuse.committed();
        }
        started++;
        List<IndexRebuild.StoredChunk> chunks = rebuild.oldChunks(entry.docKey(), keepVectors);
        long embedStart = System.nanoTime();
        var vectors = new ArrayList<CompletableFuture<float[]>>(chunks.size());
        var hashes = new ArrayList<String>(chunks.size());
        int computed = 0;
        for (IndexRebuild.StoredChunk chunk : chunks) {
          String hash = ContentHash.of(chunk.text());
          hashes.add(hash);
          if (keepVectors && chunk.oldVector() != null) {
            vectors.add(CompletableFuture.completedFuture(chunk.oldVector()));
            continue;
          }
          VectorReuse.Lookup lookup =
              reuse.lookup(
                  hash,
                  () ->
                      CompletableFuture.supplyAsync(() -> embedder.embed(chunk.text()), embedders));
          vectors.add(lookup.vector());
          if (lookup.computedHere()) {
            computed++;
          }
        }
        int embedded = computed;
        CompletableFuture.allOf(vectors.toArray(CompletableFuture[]::new))
            .thenAcceptAsync(
                ok -> {
                  if (cancelled) {
                    return; // the generation is abandoned: writing more of it is wasted work
                  }
                  var records = new ArrayList<ChunkRecord>(chunks.size());
                  for (int i = 0; i < chunks.size(); i++) {
                    var c = chunks.get(i);
                    records.add(
                        new ChunkRecord(
                            c.ordinal(),
                            c.text(),
                            c.headingPath(),
                            c.page(),
                            hashes.get(i),
                            vectors.get(i).join()));
                  }
                  long millis = (System.nanoTime() - embedStart) / 1_000_000;
                  RegistryEntry copy =
                      chunks.isEmpty() ? entry : entry.withEmbedMillis(embedded == 0 ? 0 : millis);
                  try {
                    rebuild.add(copy, records);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  written.addAndGet(records.size());
                  progress.documentDone(copy.status(), embedded, chunks.size() - embedded);
                },
                writer)
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    fatal.compareAndSet(null, Pipeline.unwrap(error));
                  }
                  permits.release();
                });
      }
      permits.acquireUninterruptibly(inFlightLimit);
    }
    Throwable error = fatal.get();
    if (error != null) {
      String message =
          "reindex failed, and the index stays as it was: "
              + (error.getMessage() == null ? error.toString() : error.getMessage());
      if (error instanceof IOException io) {
        throw new IOException(message, io);
      }
      throw new IllegalStateException(message, error);
    }
    return !cancelled && started == entries.size();
  }

  /**
   * The old commit data with the new model's identity: source cursors, the state of an unfinished
   * first indexing and the rest carry over (counts are recomputed by the commit).
   */
  private Map<String, String> commitData(CommitInfo before, ModelInfo model) {
    var data = new HashMap<String, String>(before.raw());
    data.put("model.name", model.name());
    data.put("model.fingerprint", model.fingerprint());
    data.put("model.dimension", String.valueOf(model.dimension()));
    data.put("ancla.version", version);
    String now = Instant.now(clock).toString();
    data.put("committed_at", now);
    data.put("reindexed_at", now);
    return data;
  }
}
