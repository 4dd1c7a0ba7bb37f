package dev.ancla.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An {@link Embedder} running a BERT-style encoder in ONNX Runtime, in process.
 *
 * <p>Each {@link #embed} call tokenizes one text (special tokens added, cut to {@code maxTokens}),
 * runs it alone through the model, pools the token vectors and L2-normalizes the result. Calls from
 * several threads run in parallel, one core each.
 *
 * <p>The factories load everything eagerly, the fingerprint included (bundled model: 0.6-1 s in a
 * fresh JVM, 0.2 s after; inflating the 23 MB from its jar is the largest part, and its fingerprint
 * is known ahead); the caller decides when. Close after the last {@code embed} call has returned:
 * closing frees native memory that a running call would still use.
 */
public final class OnnxEmbedder implements Embedder {
  public static final int BUNDLED_DIMENSION = 384;
  public static final int BUNDLED_MAX_TOKENS = 256;

  /** The bundled model's fingerprint, known without loading it (see ModelFiles). */
  public static final String BUNDLED_FINGERPRINT = ModelFiles.BUNDLED_FINGERPRINT;

  private static final String DIMENSION_PROBE = "dimension check";

  private final ModelInfo info;
  private final Pooling pooling;
  private final HuggingFaceTokenizer tokenizer;
  private final HfTokenCounter counter;
  private final OnnxModel model;

  /**
   * Characters of a text that reach the tokenizer: room for maxTokens tokens of 64 characters each,
   * far more than real text needs (about 4-6 per token), so only pathological texts are cut.
   */
  private final int prefixChars;

  /** Calls in flight finish before the session and tokenizer are freed (NativeGuard). */
  private final NativeGuard guard;

  private OnnxEmbedder(
      ModelInfo info,
      Pooling pooling,
      HuggingFaceTokenizer tokenizer,
      HfTokenCounter counter,
      OnnxModel model) {
    this.info = info;
    this.pooling = pooling;
    this.tokenizer = tokenizer;
    this.counter = counter;
    this.model = model;
    this.prefixChars = Math.max(TextWindows.MAX_CHARS, info.maxTokens() * 64);
    this.guard = new NativeGuard("embedder " + info.name());
  }

  /** all-MiniLM-L6-v2, int8-quantized, from the classpath: mean pooling, 384 floats, 256 tokens. */
  public static OnnxEmbedder bundled() {
    try {
      return onLoaderThread(
          () -> load(ModelFiles.bundled(), Pooling.MEAN, BUNDLED_DIMENSION, BUNDLED_MAX_TOKENS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the bundled model", e);
    }
  }

  /**
   * A user-supplied model: {@code dir} holds {@code model.onnx} and {@code tokenizer.json}.
   *
   * @param pooling how the model was trained to pool, e.g. MEAN for sentence-transformers models,
   *     CLS for BGE
   * @param dimension the model's vector length; checked against the model at load
   * @param maxTokens longest input the model takes, special tokens included, e.g. 512
   * @throws IllegalArgumentException when a file is missing or not what is expected, or the
   *     dimension does not match the model
   * @throws IOException when a file cannot be read
   */
  public static OnnxEmbedder fromDirectory(Path dir, Pooling pooling, int dimension, int maxTokens)
      throws IOException {
    Objects.requireNonNull(pooling, "pooling");
    if (dimension < 1) {
      throw new IllegalArgumentException(
          "dimension is " + dimension + "; expected the model's vector length, e.g. 384");
    }
    if (maxTokens < 8) {
      throw new IllegalArgumentException(
          "maxTokens is " + maxTokens + "; expected the model's input limit, e.g. 512");
    }
    return onLoaderThread(() -> load(ModelFiles.directory(dir), pooling, dimension, maxTokens));
  }

  /**
   * The first native load in a JVM (ONNX Runtime's initialisation) takes several hundred KB of the
   * calling thread's stack, the more the longer the process's command line: a cold {@code ancla
   * search}, whose class path is a long {@code -cp}, died with SIGSEGV on its 1 MB main thread
   * (ChildJvm's argument file dodged the same crash in tests). So loading runs on a thread with a
   * stack of its own; inference afterwards needs little and runs on the caller's thread.
   */
  private static final long LOADER_STACK_BYTES = 16L << 20;

  private interface Load {
    OnnxEmbedder run() throws IOException;
  }

  private static OnnxEmbedder onLoaderThread(Load load) throws IOException {
    var result = new OnnxEmbedder[1];
    var failure = new Throwable[1];
    Runnable task =
        () -> {
          try {
            result[0] = load.run();
          } catch (IOException | RuntimeException | Error e) {
            failure[0] = e;
          }
        };
    Thread loader = new Thread(null, task, "ancla-model-load", LOADER_STACK_BYTES);
    loader.start();
    try {
      loader.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the model loads", e);
    }
    switch (failure[0]) {
      case null -> {}
      case IOException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(failure[0]);
    }
    return result[0];
  }

  private static OnnxEmbedder load(ModelFiles files, Pooling pooling, int dimension, int maxTokens)
      throws IOException {
    String fingerprint = files.fingerprint(pooling, dimension, maxTokens);
    var info = new ModelInfo(files.name(), dimension, maxTokens, fingerprint);
    OnnxModel model = OnnxModel.open(files);
    HuggingFaceTokenizer tokenizer = null;
    HfTokenCounter counter = null;
    try {
      tokenizer = HfTokenizers.forModel(files.tokenizerJson(), maxTokens);
      counter = HfTokenCounter.of(files.tokenizerJson());
      var embedder = new OnnxEmbedder(info, pooling, tokenizer, counter, model);
      embedder.checkDimension(files);
      return embedder;
    } catch (RuntimeException | IOException e) {
      if (counter != null) counter.close();
      if (tokenizer != null) tokenizer.close();
      model.close();
      throw e;
    }
  }

  /** One real run at load: the configured dimension must be what the model produces. */
  private void checkDimension(ModelFiles files) {
    int actual = tokenVectors(DIMENSION_PROBE).dimension();
    if (actual != info.dimension()) {
      throw new IllegalArgumentException(
          files.modelLocation()
              + " produces "
              + actual
              + "-dimensional vectors but dimension "
              + info.dimension()
              + " was configured; set it to "
              + actual);
    }
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public TokenCounter tokens() {
    return counter;
  }

  @Override
  public float[] embed(String text) {
    Objects.requireNonNull(text, "text");
    var vectors = tokenVectors(text);
    float[] pooled = pooling.pool(vectors.values(), vectors.mask(), info.dimension());
    return normalized(pooled);
  }

  private record Tokens(float[] values, long[] mask, int dimension) {}

  private Tokens tokenVectors(String text) {
    return guard.call(() -> tokenVectorsOpen(text));
  }

  private Tokens tokenVectorsOpen(String text) {
    // the model reads only the first maxTokens tokens; a bounded prefix holds them for any real
    // chunk, and keeps a huge text from going to native code in one piece (TextWindows)
    Encoding encoding = tokenizer.encode(TextWindows.prefix(text, prefixChars), true, false);
    long[] mask = encoding.getAttentionMask();
    var out = model.run(encoding.getIds(), mask, encoding.getTypeIds());
    return new Tokens(out.values(), mask, out.dimension());
  }

  private static float[] normalized(float[] v) {
    double sum = 0;
    for (float x : v) sum += (double) x * x;
    // a zero vector cannot be normalized; real models do not produce one
    if (sum == 0) return v;
    float inverse = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) v[i] *= inverse;
    return v;
  }

  @Override
  public void close() {
    // one text takes milliseconds; a reindex's embedding threads may still be in one at shutdown
    guard.close(
        CLOSE_WAIT,
        () -> {
          tokenizer.close();
          model.close();
        });
    counter.close();
  }

  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);
}
