package dev.ancla.embed;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A transformer encoder in ONNX Runtime that turns one tokenized text into one vector per token.
 *
 * <p>Thread-safe: {@link OrtSession#run} may be called concurrently. Each call runs one text, with
 * one intra-op thread, so callers get parallelism by embedding different texts on different
 * threads. One text per call also means no padding: the dynamically quantized model computes its
 * int8 ranges over the whole batch, so a padded batch would change a text's vector.
 */
final class OnnxModel implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
  private static final List<String> PREFERRED_OUTPUTS =
      List.of("last_hidden_state", "token_embeddings");

  private final OrtEnvironment env;
  private final OrtSession session;
  private final Set<String> inputs;
  private final String output;

  private OnnxModel(OrtEnvironment env, OrtSession session, Set<String> inputs, String output) {
    this.env = env;
    this.session = session;
    this.inputs = inputs;
    this.output = output;
  }

  /**
   * @throws IllegalArgumentException when ONNX Runtime cannot load the file, or the model wants
   *     inputs we do not provide, or has no per-token output
   */
  static OnnxModel open(ModelFiles files) {
    OrtEnvironment env = OrtEnvironment.getEnvironment(); // process-wide; never closed by us
    OrtSession session;
    try (var options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = files.openSession(env, options);
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          files.modelLocation() + " is not a model ONNX Runtime can load: " + e.getMessage(), e);
    }
    try {
      Set<String> inputs = Set.copyOf(session.getInputNames());
      checkInputs(files, inputs);
      return new OnnxModel(env, session, inputs, tokenOutput(files, session));
    } catch (RuntimeException | OrtException e) {
      closeQuietly(session, e);
      if (e instanceof RuntimeException r) throw r;
      throw new IllegalArgumentException(files.modelLocation() + ": " + e.getMessage(), e);
    }
  }

  private static void checkInputs(ModelFiles files, Set<String> inputs) {
    if (!inputs.contains(INPUT_IDS) || !KNOWN_INPUTS.containsAll(inputs)) {
      throw new IllegalArgumentException(
          files.modelLocation()
              + " takes inputs "
              + inputs
              + "; expected input_ids, optionally"
              + " with attention_mask and token_type_ids (a BERT-style encoder export)");
    }
  }

  /** The output with one vector per token: by its usual name, else the first of rank 3. */
  private static String tokenOutput(ModelFiles files, OrtSession session) throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    for (String name : PREFERRED_OUTPUTS) if (outputs.containsKey(name)) return name;
    for (var entry : outputs.entrySet()) {
      if (entry.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
        return entry.getKey();
      }
    }
    throw new IllegalArgumentException(
        files.modelLocation()
            + " has outputs "
            + outputs.keySet()
            + " but none with one vector"
            + " per token (shape [batch, tokens, dimension]), such as last_hidden_state");
  }

  /** Token vectors of one text, flattened token-major, and their dimension. */
  record TokenVectors(float[] values, int dimension) {}

  /** Runs one tokenized text (a batch of one). */
  TokenVectors run(long[] ids, long[] mask, long[] typeIds) {
    long[] shape = {1, ids.length};
    var feed = new HashMap<String, OnnxTensor>();
    try {
      feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
      if (inputs.contains(ATTENTION_MASK)) {
        feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      }
      if (inputs.contains(TOKEN_TYPE_IDS)) {
        feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(typeIds), shape));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
        var tensor = (OnnxTensor) result.get(0);
        long[] outShape = tensor.getInfo().getShape(); // [1, tokens, dimension]
        FloatBuffer buffer = tensor.getFloatBuffer();
        var values = new float[buffer.remaining()];
        buffer.get(values);
        return new TokenVectors(values, (int) outShape[2]);
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on a text of " + ids.length + " tokens", e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the ONNX session", e);
    }
  }

  private static void closeQuietly(OrtSession session, Exception pending) {
    try {
      session.close();
    } catch (OrtException e) {
      pending.addSuppressed(e);
    }
  }
}
