package dev.ancla.ingest.parse;

import java.util.Locale;

/** Byte counts for messages: "812 bytes", "48.0 KB", "52.4 MB" (binary units). */
final class Sizes {
  private Sizes() {}

  static String describe(long bytes) {
    if (bytes < 1024) return bytes + " bytes";
    if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    if (bytes < 1024L * 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
    return String.format(Locale.ROOT, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
  }
}
