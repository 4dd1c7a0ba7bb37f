package dev.ancla.embed;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Creates DJL tokenizers from a {@code tokenizer.json}. The options override the truncation and
 * padding stored in the file (the bundled MiniLM file pads to a fixed 128), so what a tokenizer
 * does is decided here, not by whoever exported the model.
 */
final class HfTokenizers {
  private HfTokenizers() {}

  /**
   * For the model's input: with special tokens, cut to {@code maxTokens} special tokens included,
   * never padded (padding would change the vectors of the quantized model).
   */
  static HuggingFaceTokenizer forModel(byte[] tokenizerJson, int maxTokens) throws IOException {
    return create(
        tokenizerJson,
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "maxLength", Integer.toString(maxTokens),
            // DJL caps maxLength at modelMaxLength (default 512)
            "modelMaxLength", Integer.toString(maxTokens),
            "padding", "false"));
  }

  /** For counting: no special tokens, no truncation (a count must never be capped), no padding. */
  static HuggingFaceTokenizer forCounting(byte[] tokenizerJson) throws IOException {
    return create(
        tokenizerJson,
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
  }

  private static HuggingFaceTokenizer create(byte[] json, Map<String, String> options)
      throws IOException {
    optOutOfTelemetry();
    try {
      return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
    } catch (RuntimeException e) {
      // the native library throws a bare RuntimeException for a malformed file
      throw new IllegalArgumentException("not a Hugging Face tokenizer.json: " + e.getMessage(), e);
    }
  }

  /**
   * DJL's newInstance calls home (EC2 metadata at 169.254.169.254, then an S3 telemetry URL) unless
   * OPT_OUT_TRACKING is set. A self-hosted server must not, so we opt out unless the operator has
   * said otherwise in the environment or a system property. This is the one process-wide setting
   * this package touches.
   */
  private static void optOutOfTelemetry() {
    if (System.getenv("OPT_OUT_TRACKING") == null
        && System.getProperty("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }
}
