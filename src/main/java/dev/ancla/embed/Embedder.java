package dev.ancla.embed;

/**
 * Turns text into a unit-length vector.
 *
 * <p>Contract: thread-safe; deterministic (a text's vector never depends on other texts embedded
 * before, after or at the same time); texts longer than {@link ModelInfo#maxTokens()} are cut.
 */
public interface Embedder extends AutoCloseable {

  ModelInfo info();

  /**
   * {@code info().fingerprint()}; an embedder that has not loaded its model yet may answer it
   * without loading ({@link LazyEmbedder}).
   */
  default String fingerprint() {
    return info().fingerprint();
  }

  TokenCounter tokens();

  /** The L2-normalized embedding of a passage (a chunk), {@code info().dimension()} floats. */
  float[] embed(String text);

  /**
   * The embedding of a search query. The same as {@link #embed} unless the model embeds queries and
   * passages differently ({@link PrefixedEmbedder}).
   */
  default float[] embedQuery(String text) {
    return embed(text);
  }

  @Override
  void close();
}
