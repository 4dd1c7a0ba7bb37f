package dev.ancla.sync;

import dev.ancla.embed.Embedder;
import dev.ancla.index.ChunkRecord;
import dev.ancla.index.IndexStore;
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
 * Parses, chunks, embeds and writes files with the stages overlapped: parser threads prepare the
 * next files while embedder threads work on the chunks of earlier ones, and one writer thread adds
 * finished files to the index and takes checkpoints. A bound on files in flight gives
 * back-pressure, so memory stays flat however many files there are.
 */
final class Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private final Preparer preparer;
  private final Embedder embedder;
  private final IndexStore store;
  private final Checkpointer checkpointer;
  private final CrashLedger ledger;
  private final int parseThreads;
  private final int embedThreads;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  Pipeline(
      Preparer preparer,
      Embedder embedder,
      IndexStore store,
      Checkpointer checkpointer,
      CrashLedger ledger,
      int parseThreads,
      int embedThreads) {
    this.preparer = preparer;
    this.embedder = embedder;
    this.store = store;
    this.checkpointer = checkpointer;
    this.ledger = ledger;
    this.parseThreads = parseThreads;
    this.embedThreads = embedThreads;
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
    int inFlightLimit = 2 * parseThreads + 2 * embedThreads;
    var permits = new Semaphore(inFlightLimit);
    var fatal = new AtomicReference<Throwable>();
    int started = 0;
    try (ExecutorService parsers =
            Executors.newFixedThreadPool(parseThreads, named("ancla-parse"));
        ExecutorService embedders =
            Executors.newFixedThreadPool(embedThreads, named("ancla-embed"));
        ExecutorService writer = Executors.newSingleThreadExecutor(named("ancla-write"))) {
      for (SyncPlan.Item item : items) {
        if (cancelled.get() || fatal.get() != null) {
          break;
        }
        permits.acquireUninterruptibly();
        started++;
        CompletableFuture.supplyAsync(() -> prepare(item), parsers)
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

  private PreparedDocument prepare(SyncPlan.Item item) {
    try {
      ledger.started(item);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return preparer.prepare(item);
  }

  /** A file with all its vectors, ready to write. */
  private record Embedded(
      RegistryEntry entry, List<ChunkRecord> chunks, int chunksEmbedded, int chunksReused) {}

  private CompletableFuture<Embedded> embed(
      PreparedDocument doc,
      VectorReuse reuse,
      ExecutorService embedders,
      ProgressTracker progress) {
    if (doc.withoutChunks()) {
      return CompletableFuture.completedFuture(new Embedded(doc.entry(), List.of(), 0, 0));
    }
    long start = System.nanoTime();
    var vectors = new ArrayList<CompletableFuture<float[]>>(doc.chunks().size());
    long share = doc.entry().size() / doc.chunks().size(); // the rest counts when it is written
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
      store.write(doc.entry(), doc.chunks());
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
      long size = doc.entry().size();
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
