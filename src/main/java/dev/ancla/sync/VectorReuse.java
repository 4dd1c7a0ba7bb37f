package dev.ancla.sync;

import dev.ancla.index.ChunkIndex;
import dev.ancla.index.IndexRebuild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Embeddings are computed once (ARCHITECTURE.md decision 3): a chunk whose text hash is already in
 * the index reuses its vector. Looks in the index as it was when the sync started (so files deleted
 * or renamed in this sync still lend their vectors), in what this sync has written since, and in
 * embeddings still under way (duplicate paragraphs inside one sync are embedded once).
 *
 * <p>Every vector in one index comes from the same model (the fingerprint is checked before a
 * sync), so equal text hashes mean equal vectors.
 */
final class VectorReuse implements AutoCloseable {
  /** Where vectors already written can be found by text hash. */
  interface Stored {
    Optional<float[]> find(String textHash) throws IOException;
  }

  private final Stored stored;
  private final java.io.Closeable release;
  private final ConcurrentHashMap<String, CompletableFuture<float[]>> underWay =
      new ConcurrentHashMap<>();

  private VectorReuse(Stored stored, java.io.Closeable release) {
    this.stored = stored;
    this.release = release;
  }

  /**
   * For a sync: pins the index as searches see it now (call before changing anything), and looks
   * there first, then in what the sync has written since.
   */
  static VectorReuse forSync(ChunkIndex store) throws IOException {
    store.refresh();
    ChunkIndex.StoredVectorLookup atStart = store.pinVectors();
    return new VectorReuse(atStart::byTextHash, atStart);
  }

  /**
   * For a rebuild with a new model: only what the rebuild itself has written counts, since the old
   * generation's vectors come from the old model.
   */
  static VectorReuse forRebuild(IndexRebuild rebuild) {
    return new VectorReuse(rebuild::writtenVector, () -> {});
  }

  /** A vector for the hash: stored, under way, or computed by {@code embed}; says which. */
  record Lookup(CompletableFuture<float[]> vector, boolean computedHere) {}

  Lookup lookup(String textHash, Supplier<CompletableFuture<float[]>> embed) {
    Optional<float[]> stored = stored(textHash);
    if (stored.isPresent()) {
      return new Lookup(CompletableFuture.completedFuture(stored.get()), false);
    }
    boolean[] computed = {false};
    CompletableFuture<float[]> future =
        underWay.computeIfAbsent(
            textHash,
            h -> {
              computed[0] = true;
              return embed.get();
            });
    return new Lookup(future, computed[0]);
  }

  /**
   * After a commit (or a rebuild's refresh): written vectors are findable in the index now, so
   * forget finished ones.
   */
  void committed() {
    underWay.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  private Optional<float[]> stored(String textHash) {
    try {
      return stored.find(textHash);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    release.close();
  }
}
