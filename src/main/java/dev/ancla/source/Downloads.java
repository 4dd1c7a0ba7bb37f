package dev.ancla.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Streams remote content into bounded temporary files, for the {@link Source#fetch} contract. */
public final class Downloads {
  private Downloads() {}

  /**
   * Copies {@code in} to a new temporary file, failing as soon as more than {@code maxBytes} arrive
   * (a size the listing under-reported cannot fill the disk). The file is deleted on any error, and
   * by the returned {@link Fetched} when closed.
   *
   * @param what the item for messages, e.g. {@code s3://bucket/key}
   */
  public static Fetched toTempFile(InputStream in, long maxBytes, String what) throws IOException {
    Path file = Files.createTempFile("ancla-fetch-", ".part");
    boolean ok = false;
    try (in;
        OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(what, total, maxBytes, true);
        }
        out.write(buffer, 0, n);
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(file);
      }
    }
    return Fetched.temporary(file);
  }

  /** Throws when a size known before downloading is over the limit. */
  public static void checkSize(String what, long size, long maxBytes) throws TooLargeException {
    if (size > maxBytes) {
      throw tooLarge(what, size, maxBytes, false);
    }
  }

  private static TooLargeException tooLarge(
      String what, long size, long maxBytes, boolean atLeast) {
    return new TooLargeException(
        "%s is %s%s; the limit is %s. Raise ANCLA_MAX_FILE_MB to index it"
            .formatted(
                what,
                atLeast ? "over " : "",
                describe(atLeast ? maxBytes : size),
                describe(maxBytes)));
  }

  static String describe(long bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
