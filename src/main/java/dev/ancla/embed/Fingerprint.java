package dev.ancla.embed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Identifies what makes vectors comparable: the model file's bytes plus pooling, dimension and
 * token limit. Two embedders with equal fingerprints produce the same vector for the same text.
 */
final class Fingerprint {
  private Fingerprint() {}

  /**
   * First 16 hex digits of SHA-256 over the model bytes followed by {@code
   * "\n<pooling>\n<dimension>\n<maxTokens>"}. Reads {@code model} to its end; does not close it.
   */
  static String of(InputStream model, Pooling pooling, int dimension, int maxTokens)
      throws IOException {
    MessageDigest sha = sha256();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = model.read(buffer)) > 0; ) sha.update(buffer, 0, n);
    String settings = "\n" + pooling.name() + "\n" + dimension + "\n" + maxTokens;
    sha.update(settings.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
  }

  /** First 16 hex digits of SHA-256 over {@code text}: for models known by settings, not bytes. */
  static String ofText(String text) {
    return HexFormat.of()
        .formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
