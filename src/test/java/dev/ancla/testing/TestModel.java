package dev.ancla.testing;

import dev.ancla.embed.Embedder;
import dev.ancla.embed.ModelInfo;
import dev.ancla.embed.OnnxEmbedder;
import dev.ancla.embed.Pooling;
import dev.ancla.embed.TokenCounter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The real bundled model, loaded once per test JVM (loading costs a second; every test that embeds
 * shares it). Handed out wrapped so that closing an Ancla does not close the shared model.
 */
public final class TestModel {
  private TestModel() {}

  private static final class Holder {
    static final Embedder MODEL = OnnxEmbedder.bundled();
  }

  private static final class OtherHolder {
    static final Embedder MODEL = loadOther();

    private static Embedder loadOther() {
      try {
        Path dir = Files.createTempDirectory("ancla-other-model");
        writeBundledModelTo(dir);
        Embedder model = OnnxEmbedder.fromDirectory(dir, Pooling.CLS, 384, 256);
        // loaded into memory: the files are not needed any more
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
        return model;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Embedder shared() {
    return unclosable(Holder.MODEL);
  }

  /**
   * A second real model for model changes: the bundled ONNX file pooled by its CLS token instead of
   * the mean. Different vectors, a different fingerprint, the same dimension; loaded once.
   */
  public static Embedder other() {
    return unclosable(OtherHolder.MODEL);
  }

  /** The bundled model's files, as a user's model directory would hold them. */
  public static void writeBundledModelTo(Path dir) throws IOException {
    copy("/all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
    copy("/all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = TestModel.class.getResourceAsStream(resource)) {
      Files.copy(in, target);
    }
  }

  private static Embedder unclosable(Embedder model) {
    return calling(model, n -> {});
  }

  /**
   * {@code model}, not closed with its user, calling {@code beforeEmbed} with the 1-based number of
   * each embed call before it runs: to pause, fail or cancel work at a chosen point.
   */
  public static Embedder calling(Embedder model, IntConsumer beforeEmbed) {
    var calls = new AtomicInteger();
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
        beforeEmbed.accept(calls.incrementAndGet());
        return model.embed(text);
      }

      @Override
      public void close() {
        // shared across tests; the JVM's exit frees it
      }
    };
  }
}
