package dev.ancla.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whether a store honours conditional writes ({@code If-None-Match: *} to create only, {@code
 * If-Match: <version>} to replace only what was read), found by trying them on a probe object of
 * its own. AWS S3, R2, MinIO, S3Proxy and moto honour both; DigitalOcean Spaces does not document
 * them. The writer lease (ARCHITECTURE.md decision 6) needs both to keep two writers from believing
 * they hold it at the same moment.
 */
public record ConditionalWrites(boolean ifNoneMatch, boolean ifMatch) {
  static final String PREFIX = "probes/";

  public boolean honoured() {
    return ifNoneMatch && ifMatch;
  }

  /** What a store that ignores them is missing, for messages, e.g. "If-None-Match and If-Match". */
  public String ignored() {
    return ifNoneMatch ? "If-Match" : ifMatch ? "If-None-Match" : "If-None-Match and If-Match";
  }

  /**
   * Creates a probe object, then tries to create it again and to replace a version it never had:
   * both must be refused. The probe is deleted afterwards.
   */
  static ConditionalWrites probe(BlobStore store) throws IOException {
    byte[] random = new byte[8];
    ThreadLocalRandom.current().nextBytes(random);
    String key = PREFIX + "conditional-" + HexFormat.of().formatHex(random) + ".json";
    try {
      store.compareAndSet(key, Optional.empty(), bytes("first"));
      boolean ifNoneMatch = refused(store, key, Optional.empty(), "second");
      boolean ifMatch =
          refused(store, key, Optional.of("\"00000000000000000000000000000000\""), "third");
      return new ConditionalWrites(ifNoneMatch, ifMatch);
    } finally {
      try {
        store.delete(key);
      } catch (IOException e) {
        // a stray probe of a few bytes; the next start makes another
      }
    }
  }

  private static boolean refused(
      BlobStore store, String key, Optional<String> expected, String text) throws IOException {
    try {
      store.compareAndSet(key, expected, bytes(text));
      return false;
    } catch (BlobStore.ConflictException e) {
      return true;
    }
  }

  private static byte[] bytes(String text) {
    return ("{\"probe\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
  }
}
