package dev.ancla.snapshot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs that a reader found damaged, told to the writer through the store: {@code
 * damaged/<sha256>}, holding who found it, when and why.
 *
 * <p>Why: a byte flipped in place passes every stat (length and recorded checksum are the store's
 * metadata, not its bytes), so only a reader can find it: a restore on another machine (a rolling
 * deploy, a follower), {@code ancla snapshot verify}, the scrub. The reader cannot repair it, since
 * the bytes live in the writer's local index; the writer can. So the reader files a report and the
 * writer, which lists the reports every {@link #CHECK_EVERY}, re-uploads the blob from its local
 * index and withdraws the report, and until then counts every snapshot that needs the blob as not
 * verified. A report on a blob that is in fact whole costs one upload, never data; reports live
 * outside {@code snapshots/} and {@code blobs/}, so retention and garbage collection never see
 * them.
 */
public final class DamageReports {
  private static final Logger log = LoggerFactory.getLogger(DamageReports.class);

  static final String PREFIX = "damaged/";

  /** How often a writer looks for reports: one LIST of a prefix that is almost always empty. */
  public static final java.time.Duration CHECK_EVERY = java.time.Duration.ofSeconds(15);

  private DamageReports() {}

  /** The report's key for blob {@code blobs/<sha256>}. */
  static String key(String blobKey) {
    return PREFIX + blobKey.substring(blobKey.lastIndexOf('/') + 1);
  }

  /** The blob key a report names. */
  static String blobKey(String reportKey) {
    return "blobs/" + reportKey.substring(PREFIX.length());
  }

  /**
   * Files a report that {@code blobKey} does not hold its bytes. Never throws: a reader that cannot
   * report still fails over to another snapshot, and says so.
   */
  public static void report(BlobStore store, String blobKey, String why) {
    try {
      Path tmp = Files.createTempFile("ancla-damaged-", ".txt");
      try {
        Files.writeString(tmp, blobKey + " found damaged at " + Instant.now() + ": " + why + "\n");
        store.put(key(blobKey), tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
      log.warn("reported {} in {} as damaged: {}", blobKey, store.describe(), why);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "{} in {} is damaged ({}) and the report for the writer could not be written: {}",
          blobKey,
          store.describe(),
          why,
          e.getMessage());
    }
  }

  /** Every reported blob key with the report's text, from one LIST and one GET per report. */
  public static Map<String, String> list(BlobStore store) throws IOException {
    var reports = new LinkedHashMap<String, String>();
    for (BlobStore.Blob blob : store.list(PREFIX)) {
      String text;
      try (var in = store.open(blob.key())) {
        text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // withdrawn meanwhile
      }
      reports.put(blobKey(blob.key()), text);
    }
    return reports;
  }

  /** Withdraws the report on {@code blobKey}: the store holds its bytes again. */
  static void withdraw(BlobStore store, String blobKey) throws IOException {
    store.delete(key(blobKey));
  }
}
