package dev.ancla.embed;

import java.util.Objects;

/**
 * A model trained with instruction prefixes, e.g. e5's {@code "query: "} and {@code "passage: "}:
 * documents' chunks are embedded as passagePrefix + text and queries as queryPrefix + text. Without
 * the prefixes such models lose much of their retrieval quality.
 *
 * <p>The prefixes change every vector, so they are part of the fingerprint: an index built with
 * other prefixes (or none) is not searched with these.
 */
public final class PrefixedEmbedder implements Embedder {
  private final Embedder model;
  private final String queryPrefix;
  private final String passagePrefix;
  private final ModelInfo info;

  private PrefixedEmbedder(Embedder model, String queryPrefix, String passagePrefix) {
    this.model = model;
    this.queryPrefix = queryPrefix;
    this.passagePrefix = passagePrefix;
    ModelInfo inner = model.info();
    this.info =
        new ModelInfo(
            inner.name(),
            inner.dimension(),
            inner.maxTokens(),
            fingerprint(inner.fingerprint(), queryPrefix, passagePrefix));
  }

  /**
   * {@code model} with the prefixes, or {@code model} itself when both are empty (so that an index
   * built without prefixes keeps its fingerprint).
   */
  public static Embedder wrap(Embedder model, String queryPrefix, String passagePrefix) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(queryPrefix, "queryPrefix");
    Objects.requireNonNull(passagePrefix, "passagePrefix");
    if (queryPrefix.isEmpty() && passagePrefix.isEmpty()) {
      return model;
    }
    return new PrefixedEmbedder(model, queryPrefix, passagePrefix);
  }

  /** First 16 hex digits of SHA-256 over the model's fingerprint and both prefixes. */
  static String fingerprint(String model, String queryPrefix, String passagePrefix) {
    // lengths first, so that no two different pairs of prefixes give the same bytes
    return Fingerprint.ofText(
        model
            + "\nquery:"
            + queryPrefix.length()
            + ":"
            + queryPrefix
            + "\npassage:"
            + passagePrefix.length()
            + ":"
            + passagePrefix);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** Counts the text alone: keep ANCLA_CHUNK_TOKENS a few tokens under the model's limit. */
  @Override
  public TokenCounter tokens() {
    return model.tokens();
  }

  @Override
  public float[] embed(String text) {
    return model.embed(passagePrefix + text);
  }

  @Override
  public float[] embedQuery(String text) {
    return model.embed(queryPrefix + text);
  }

  @Override
  public void close() {
    model.close();
  }
}
