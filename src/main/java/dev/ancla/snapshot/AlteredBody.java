package dev.ancla.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A store gave back other bytes than were written under a key: never a lease question, always the
 * store's. The commonest cause has its own words: an S3 server that keeps the AWS SDK's {@code
 * aws-chunked} upload framing inside the object (s3rver over plain HTTP).
 */
public final class AlteredBody extends IOException {
  private static final Pattern FRAMING =
      Pattern.compile("^[0-9a-fA-F]{1,16};chunk-signature=[0-9a-fA-F]{64}\r\n");

  AlteredBody(String message) {
    super(message);
  }

  /** Whether {@code bytes} start with aws-chunked framing. */
  static boolean framed(byte[] bytes) {
    String head = new String(bytes, 0, Math.min(bytes.length, 100), StandardCharsets.ISO_8859_1);
    return FRAMING.matcher(head).find();
  }

  /**
   * @param written what was written, or empty when unknown (read by another process)
   */
  static AlteredBody of(String store, String key, byte[] written, byte[] read) {
    String what =
        written.length == 0
            ? key + " holds " + read.length + " bytes that are not what Ancla writes there"
            : "Ancla wrote "
                + written.length
                + " bytes to "
                + key
                + " and read back "
                + read.length;
    if (framed(read)) {
      return new AlteredBody(
          store
              + ": the store altered the body of "
              + key
              + ": "
              + what
              + ", wrapped in the AWS SDK's aws-chunked upload framing (\""
              + new String(read, 0, Math.min(read.length, 24), StandardCharsets.ISO_8859_1)
              + "...\"). The store keeps that framing instead of decoding it (s3rver does over plain"
              + " HTTP). Ancla sends plain bodies itself, so another client or a proxy on the way"
              + " re-encoded it: use the store over HTTPS or a store that decodes aws-chunked, then"
              + " delete "
              + key
              + " from the store");
    }
    return new AlteredBody(
        store
            + ": the store altered the body of "
            + key
            + ": "
            + what
            + ", and they differ. Check what sits between Ancla and the store (a proxy, a"
            + " gateway that re-encodes bodies), then delete "
            + key
            + " from the store");
  }
}
