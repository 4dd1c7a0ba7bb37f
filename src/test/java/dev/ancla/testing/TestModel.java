package dev.ancla.testing;

import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.embed.TokenCounter;

/**
 * The real bundled model, loaded once per test JVM (loading costs a second; every test that embeds
 * shares it). Handed out wrapped so that closing an Ancla does not close the shared model.
 */
public final class TestModel {
  private TestModel() {}

  private static final class Holder {
    static final Embedder MODEL = OnnxEmbedder.bundled();
  }

  public static Embedder shared() {
    Embedder model = Holder.MODEL;
    return new Embedder() {
      @Override
      public ModelInfo info() {
        return model.info();
      }

      @Override
      public TokenCounter tokens() {
        return model.tokens();
      }

      @Override
      public float[] embed(String text) {
        return model.embed(text);
      }

      @Override
      public void close() {
        // shared across tests; the JVM's exit frees it
      }
    };
  }
}
