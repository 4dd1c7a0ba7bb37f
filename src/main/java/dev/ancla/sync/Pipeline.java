package dev.ancla.sync;

import dev.ancla.embed.Embedder;
import dev.ancla.index.ChunkIndex;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.chunk.Chunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches, parses, chunks, embeds and writes items with the stages overlapped: fetch threads
 * download the next items (a remote source's latency is spent in parallel), parser threads prepare
 * fetched ones while embedder threads work on the chunks of earlier ones, and one writer thread
 * adds finished items to the index and takes checkpoints. A bound on files in flight gives
 * back-pressure, so memory stays flat however many files there are.
 */
final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final Preparer preparer;
  private final Embedder embedder;
  private final ChunkIndex store;
  private final Checkpointer checkpointer;
  private final int fetchThreads;
  private final CrashLedger ledger;
  private final int parseThreads;
  private final int embedThreads;
  private final SourceTallies tallies;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  Pipeline(
      Preparer preparer,
      Embedder embedder,
      ChunkIndex store,
      Checkpointer checkpointer,
      int fetchThreads,
      CrashLedger ledger,
      int parseThreads,
      int embedThreads,
      SourceTallies tallies) {
    this.preparer = preparer;
    this.embedder = embedder;
    this.store = store;
    this.checkpointer = checkpointer;
    this.fetchThreads = fetchThreads;
    this.ledger = ledger;
    this.parseThreads = parseThreads;
    this.embedThreads = embedThreads;
    this.tallies = tallies;
  }

  /** Stops taking new files; files already in flight finish and are written. */
  void cancel() {
    cancelled.set(true);
  }

  boolean cancelled() {
    return cancelled.get();
  }

  /**
   * Indexes {@code items}, reusing vectors through {@code reuse}; returns how many were started
   * (all of them unless cancelled).
   */
  int run(List<SyncPlan.Item> items, ProgressTracker progress, VectorReuse reuse)
      throws IOException {
    int inFlightLimit = fetchThreads + 2 * parseThreads + 2 * embedThreads;
    var permits = new Semaphore(inFlightLimit);
    var fatal = new AtomicReference<Throwable>();
    int started = 0;
    try (ExecutorService fetchers =
            Executors.newFixedThreadPool(fetchThreads, named("ancla-fetch"));
        ExecutorService parsers = Executors.newFixedThreadPool(parseThreads, named("ancla-parse"));
        ExecutorService embedders =
            Executors.newFixedThreadPool(embedThreads, named("ancla-embed"));
        ExecutorService writer = Executors.newSingleThreadExecutor(named("ancla-write"))) {
      for (SyncPlan.Item item : items) {
        if (cancelled.get() || fatal.get() != null) {
          break;
        }
        permits.acquireUninterruptibly();
        started++;
        CompletableFuture.supplyAsync(() -> preparer.fetch(item), fetchers)
            .thenApplyAsync(this::prepare, parsers)
            .thenCompose(doc -> embed(doc, reuse, embedders, progress))
            .thenAcceptAsync(embedded -> write(embedded, reuse, progress), writer)
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    fatal.compareAndSet(null, unwrap(error));
                  }
                  permits.release();
                });
      }
      permits.acquireUninterruptibly(inFlightLimit);
    }
    Throwable error = fatal.get();
    if (error instanceof IOException io) {
      throw io;
    } else if (error instanceof RuntimeException runtime) {
      throw runtime;
    } else if (error != null) {
      throw new IllegalStateException("indexing failed: " + error, error);
    }
    return started;
  }

  /** Parses a download; the ledger records the item as in flight first (a crash there counts). */
  private PreparedDocument prepare(Preparer.Download download) {
    try {
      ledger.started(download.item());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return preparer.prepare(download);
  }

  /** A file with all its vectors, ready to write; or an entry to relist, nothing embedded. */
  private record Embedded(
      RegistryEntry entry,
      List<ChunkRecord> chunks,
      int chunksEmbedded,
      int chunksReused,
      java.util.Optional<SyncPlan.Relisted> relisted) {
    Embedded(RegistryEntry entry, List<ChunkRecord> chunks, int embedded, int reused) {
      this(entry, chunks, embedded, reused, java.util.Optional.empty());
    }
  }

  /**
   * Rewrites a relisted entry: its registry entry only, or with its chunks when the path or link
   * they carry moved. Chunks that cannot be carried over (no stored vectors) leave the entry with
   * an empty version, so the next sync indexes the item anew.
   */
  static void relist(SyncPlan.Relisted relisted, ChunkIndex store) throws IOException {
    RegistryEntry e = relisted.updated();
    if (!relisted.moved()) {
      store.updateRegistry(e);
    } else if (!store.relocate(e)) {
      log.warn(
          "{}: its chunks could not be moved to {}; it is indexed anew next sync",
          e.id(),
          e.path());
      store.updateRegistry(
          e.asListed(e.path(), "", e.size(), java.util.Optional.empty(), e.link()));
    }
  }

  private CompletableFuture<Embedded> embed(
      PreparedDocument doc,
      VectorReuse reuse,
      ExecutorService embedders,
      ProgressTracker progress) {
    if (doc.withoutChunks()) {
      return CompletableFuture.completedFuture(
          new Embedded(doc.entry(), List.of(), 0, 0, doc.relisted()));
    }
    long start = System.nanoTime();
    var vectors = new ArrayList<CompletableFuture<float[]>>(doc.chunks().size());
    // a Drive document's size is unknown (-1) before export: it counts as none
    long share = Math.max(0, doc.entry().size()) / doc.chunks().size(); // the rest when written
    int computed = 0;
    for (int i = 0; i < doc.chunks().size(); i++) {
      String text = doc.chunks().get(i).text();
      VectorReuse.Lookup lookup =
          reuse.lookup(
              doc.textHashes().get(i),
              () -> CompletableFuture.supplyAsync(() -> embedder.embed(text), embedders));
      vectors.add(lookup.vector().whenComplete((v, e) -> progress.bytesDone(share)));
      if (lookup.computedHere()) {
        computed++;
      }
    }
    int embedded = computed;
    return CompletableFuture.allOf(vectors.toArray(CompletableFuture[]::new))
        .handle(
            (ok, error) -> {
              if (error != null) {
                return failedEmbedding(doc, unwrap(error));
              }
              long millis = (System.nanoTime() - start) / 1_000_000;
              var records = new ArrayList<ChunkRecord>(doc.chunks().size());
              for (int i = 0; i < doc.chunks().size(); i++) {
                Chunk chunk = doc.chunks().get(i);
                records.add(
                    new ChunkRecord(
                        chunk.ordinal(),
                        chunk.text(),
                        chunk.headingPath(),
                        chunk.page(),
                        doc.textHashes().get(i),
                        vectors.get(i).join()));
              }
              RegistryEntry entry = doc.entry().withEmbedMillis(embedded == 0 ? 0 : millis);
              return new Embedded(entry, records, embedded, doc.chunks().size() - embedded);
            });
  }

  private Embedded failedEmbedding(PreparedDocument doc, Throwable error) {
    log.warn("embedding {} failed: {}", doc.entry().path(), error.toString());
    RegistryEntry failed =
        doc.entry()
            .withoutChunks(RegistryEntry.Status.FAILED, "embedding failed: " + error.getMessage());
    return new Embedded(failed, List.of(), 0, 0);
  }

  private void write(Embedded doc, VectorReuse reuse, ProgressTracker progress) {
    try {
      if (doc.relisted().isPresent()) {
        relist(doc.relisted().get(), store);
        tallies.sameBytes(doc.entry().source());
        progress.documentDone(RegistryEntry.Status.OK, 0, 0);
        progress.bytesDone(Math.max(0, doc.entry().size()));
        if (checkpointer.written(0)) {
          reuse.committed();
        }
        return;
      }
      store.write(doc.entry(), doc.chunks());
      tallies.done(doc.entry().source(), doc.entry().status());
      ledger.written(doc.entry().docKey());
      RegistryEntry.Status status = doc.entry().status();
      switch (status) {
        case FAILED ->
            log.warn("failed {}: {}", doc.entry().path(), doc.entry().error().orElse(""));
        case SKIPPED ->
            log.debug("skipped {}: {}", doc.entry().path(), doc.entry().error().orElse(""));
        case OK -> {}
      }
      progress.documentDone(status, doc.chunksEmbedded(), doc.chunksReused());
      long size = Math.max(0, doc.entry().size());
      progress.bytesDone(doc.chunks().isEmpty() ? size : size % doc.chunks().size());
      if (checkpointer.written(doc.chunks().size())) {
        reuse.committed();
        ledger.committed();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cause behind the wrappers that futures and lambdas add. */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof UncheckedIOException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static ThreadFactory named(String prefix) {
    return Thread.ofPlatform().name(prefix + "-", 1).daemon(true).factory();
  }
}
