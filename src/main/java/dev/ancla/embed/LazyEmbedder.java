package dev.ancla.embed;

import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the model on first use. The index opens first and answers BM25-only work without paying for
 * the model (ARCHITECTURE.md decision 11); a sync with nothing to embed never loads it.
 */
public final class LazyEmbedder implements Embedder {
  private static final Logger log = LoggerFactory.getLogger(LazyEmbedder.class);

  private final Supplier<Embedder> factory;
  private final Optional<String> knownFingerprint;
  private volatile Embedder loaded;

  public LazyEmbedder(Supplier<Embedder> factory) {
    this(factory, Optional.empty());
  }

  /**
   * @param knownFingerprint the model's fingerprint when it is known without loading the model (the
   *     bundled one): comparing it with the index's then costs nothing
   */
  public LazyEmbedder(Supplier<Embedder> factory, Optional<String> knownFingerprint) {
    this.factory = factory;
    this.knownFingerprint = knownFingerprint;
  }

  public boolean isLoaded() {
    return loaded != null;
  }

  private Embedder get() {
    Embedder current = loaded;
    if (current == null) {
      synchronized (this) {
        current = loaded;
        if (current == null) {
          long start = System.nanoTime();
          current = factory.get();
          log.info(
              "loaded embedding model {} ({} dimensions) in {} ms",
              current.info().name(),
              current.info().dimension(),
              (System.nanoTime() - start) / 1_000_000);
          loaded = current;
        }
      }
    }
    return current;
  }

  @Override
  public ModelInfo info() {
    return get().info();
  }

  @Override
  public String fingerprint() {
    Embedder current = loaded;
    if (current == null && knownFingerprint.isPresent()) {
      return knownFingerprint.get();
    }
    return get().info().fingerprint();
  }

  @Override
  public TokenCounter tokens() {
    return get().tokens();
  }

  @Override
  public float[] embed(String text) {
    return get().embed(text);
  }

  @Override
  public float[] embedQuery(String text) {
    return get().embedQuery(text);
  }

  @Override
  public void close() {
    Embedder current = loaded;
    if (current != null) {
      current.close();
    }
  }
}
