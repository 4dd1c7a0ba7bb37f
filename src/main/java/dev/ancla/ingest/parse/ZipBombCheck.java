package dev.ancla.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Refuses ZIP-based files (OOXML, OpenDocument, EPUB, plain ZIP) whose central directory declares
 * an entry that expands more than {@link #MAX_RATIO} times to more than {@link #MIN_EXPANDED}
 * bytes. Tika's own check (output characters per input byte) fires only after megabytes of text; by
 * then the character limit may already have cut the "document" short and indexed the filler.
 * Entries that lie about their size are left to POI's ZipSecureFile and Tika while parsing.
 */
final class ZipBombCheck {
  /** POI's ZipSecureFile refuses the same ratio (minimum inflate ratio 0.01). */
  static final long MAX_RATIO = 100;

  /** Small entries may compress as well as they like: ten megabytes harm no one. */
  static final long MIN_EXPANDED = 10L << 20;

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

  private ZipBombCheck() {}

  static void check(Path file) throws ParseFailure, IOException {
    if (!startsWithZipMagic(file)) return;
    try (var zip = new ZipFile(file.toFile())) {
      for (var entries = zip.entries(); entries.hasMoreElements(); ) {
        var entry = entries.nextElement();
        long expanded = entry.getSize();
        long compressed = Math.max(1, entry.getCompressedSize());
        if (expanded > MIN_EXPANDED && expanded / compressed > MAX_RATIO) {
          throw new ParseFailure(
              ParseFailure.Kind.ZIP_BOMB,
              ("its entry \"%s\" expands from %s to %s (%d times); refusing a likely zip bomb."
                      + " If the document is genuine, save it in another format or split it")
                  .formatted(
                      entry.getName(),
                      Sizes.describe(compressed),
                      Sizes.describe(expanded),
                      expanded / compressed));
        }
      }
    } catch (ZipException _) {
      // a broken ZIP: the parser reports it as corrupt, with a better message
    }
  }

  private static boolean startsWithZipMagic(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(4), ZIP_MAGIC);
    }
  }
}
