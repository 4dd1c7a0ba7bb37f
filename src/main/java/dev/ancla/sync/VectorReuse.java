package dev.ancla.sync;

import dev.ancla.index.IndexStore;
import dev.ancla.index.StoredVectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.lucene.search.IndexSearcher;

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
  private final IndexStore store;
  private final IndexSearcher atStart;
  private final ConcurrentHashMap<String, CompletableFuture<float[]>> underWay =
      new ConcurrentHashMap<>();

  /** Pins the index as searches see it now; call before changing anything. */
  VectorReuse(IndexStore store) throws IOException {
    this.store = store;
    store.refresh();
    this.atStart = store.acquire();
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

  /** After a commit: written vectors are findable in the index now, so forget finished ones. */
  void committed() {
    underWay.values().removeIf(f -> f.isDone() && !f.isCompletedExceptionally());
  }

  private Optional<float[]> stored(String textHash) {
    try {
      Optional<float[]> old = StoredVectors.byTextHash(atStart.getIndexReader(), textHash);
      if (old.isPresent()) {
        return old;
      }
      return store.search(s -> StoredVectors.byTextHash(s.getIndexReader(), textHash));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    store.release(atStart);
  }
}
