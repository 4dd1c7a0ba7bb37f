package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads blobs back in full and checks each against its key: {@code blobs/<sha256>} must hash to
 * that SHA-256, so no manifest is needed. Finds what a stat cannot (a byte flipped in place).
 * Repairs a damaged blob from the local index when it still holds those bytes ({@link LocalBlobs});
 * otherwise reports it and marks every snapshot that needs it bad.
 *
 * <p>On a budget: a pass starts after the key the previous one ended on (a cursor the caller keeps)
 * and stops once it has read {@code budgetBytes} (at least one blob); after the last key it starts
 * again from the first. The whole store is one pass with an unlimited budget.
 */
public final class Scrubber {
  private static final Logger log = LoggerFactory.getLogger(Scrubber.class);
  private static final String BLOBS = "blobs/";

  private final BlobStore store;
  private final int threads;
  private final Optional<LocalBlobs> local;

  public Scrubber(BlobStore store, int threads, Optional<LocalBlobs> local) {
    this.store = store;
    this.threads = threads;
    this.local = local;
  }

  /**
   * What one pass found.
   *
   * @param read every key this pass read
   * @param cursor the last key read: where the next pass starts after ("" to start over)
   * @param damaged every blob whose bytes are not its key's, with why
   * @param repaired the damaged blobs uploaded again from the local index
   * @param unrepaired the damaged blobs the local index no longer holds
   * @param markedBad snapshots marked bad because they need an unrepaired blob
   */
  public record Report(
      int blobs,
      long bytes,
      List<String> read,
      String cursor,
      List<String> damaged,
      List<String> repaired,
      List<String> unrepaired,
      List<String> markedBad) {
    public boolean clean() {
      return unrepaired.isEmpty();
    }
  }

  /** Reads every blob. */
  public Report all() throws IOException {
    return pass("", Long.MAX_VALUE);
  }

  /** Reads blobs after {@code cursor} until {@code budgetBytes} are read. */
  public Report pass(String cursor, long budgetBytes) throws IOException {
    List<BlobStore.Blob> listed = store.list(BLOBS);
    var chosen = new ArrayList<BlobStore.Blob>();
    long planned = 0;
    for (int i = 0; i < listed.size() && planned < budgetBytes; i++) {
      BlobStore.Blob blob = listed.get(i);
      if (blob.key().compareTo(cursor) > 0) {
        chosen.add(blob);
        planned += blob.size();
      }
    }
    boolean reachedEnd = chosen.isEmpty() || chosen.getLast().key().equals(listed.getLast().key());
    List<Optional<String>> results = Transfers.each(chosen, threads, this::check);
    var damaged = new ArrayList<String>();
    var repaired = new ArrayList<String>();
    var unrepaired = new ArrayList<String>();
    long bytes = 0;
    for (int i = 0; i < chosen.size(); i++) {
      bytes += chosen.get(i).size();
      if (results.get(i).isEmpty()) {
        continue;
      }
      String key = chosen.get(i).key();
      damaged.add(key + ": " + results.get(i).get());
      String sha = key.substring(BLOBS.length());
      if (local.isPresent() && local.get().repair(store, sha)) {
        repaired.add(key);
        log.warn(
            "{} in {} was damaged ({}); repaired from the local index",
            key,
            store.describe(),
            results.get(i).get());
      } else {
        unrepaired.add(key);
        log.error(
            "{} in {} is damaged ({}) and the local index no longer holds its bytes",
            key,
            store.describe(),
            results.get(i).get());
      }
    }
    List<String> markedBad = unrepaired.isEmpty() ? List.of() : markSnapshotsNeeding(unrepaired);
    String next = reachedEnd ? "" : chosen.getLast().key();
    return new Report(
        chosen.size(),
        bytes,
        chosen.stream().map(BlobStore.Blob::key).toList(),
        next,
        List.copyOf(damaged),
        List.copyOf(repaired),
        List.copyOf(unrepaired),
        markedBad);
  }

  /**
   * Handles the blobs readers reported damaged ({@link DamageReports}): each is read; one that is
   * whole (repaired meanwhile, or a false alarm) or that the local index repairs has its report
   * withdrawn; one that cannot be repaired marks every snapshot needing it bad, and its report is
   * then withdrawn too (the marks carry it). One LIST when there is no report.
   */
  public Report repairReported() throws IOException {
    Map<String, String> reports = DamageReports.list(store);
    var read = new ArrayList<String>();
    var damaged = new ArrayList<String>();
    var repaired = new ArrayList<String>();
    var unrepaired = new ArrayList<String>();
    long bytes = 0;
    for (var report : reports.entrySet()) {
      String key = report.getKey();
      var stat = store.stat(key);
      Optional<String> problem =
          stat.isEmpty()
              ? Optional.empty() // collected meanwhile: nothing needs it
              : check(new BlobStore.Blob(key, stat.get().size(), stat.get().modified()));
      read.add(key);
      bytes += stat.map(BlobStore.Stat::size).orElse(0L);
      if (problem.isPresent()) {
        damaged.add(key + ": " + problem.get());
        String sha = key.substring(BLOBS.length());
        if (local.isPresent() && local.get().repair(store, sha)) {
          repaired.add(key);
          log.warn(
              "{} in {} was reported damaged ({}); repaired from the local index",
              key,
              store.describe(),
              report.getValue());
        } else {
          unrepaired.add(key);
          log.error(
              "{} in {} was reported damaged ({}) and the local index no longer holds its"
                  + " bytes",
              key,
              store.describe(),
              report.getValue());
        }
      }
    }
    List<String> markedBad = unrepaired.isEmpty() ? List.of() : markSnapshotsNeeding(unrepaired);
    for (String key : reports.keySet()) {
      DamageReports.withdraw(store, key);
    }
    return new Report(
        read.size(),
        bytes,
        List.copyOf(read),
        "",
        List.copyOf(damaged),
        List.copyOf(repaired),
        List.copyOf(unrepaired),
        markedBad);
  }

  /** Why a blob is not the bytes its key names, or empty when it is. */
  private Optional<String> check(BlobStore.Blob blob) throws IOException {
    String name = blob.key().substring(BLOBS.length());
    if (!isSha256(name)) {
      return Optional.empty(); // not a content-addressed blob: nothing to compare with
    }
    Digest digest;
    try (InputStream in = store.open(blob.key())) {
      digest = Digest.of(in, null);
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted by retention meanwhile
    }
    if (!digest.sha256().equals(name)) {
      return Optional.of(digest.size() + " bytes that hash to " + digest.sha256());
    }
    return Optional.empty();
  }

  private static boolean isSha256(String name) {
    if (name.length() != 64) {
      return false;
    }
    try {
      HexFormat.of().parseHex(name);
      return name.equals(name.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private List<String> markSnapshotsNeeding(List<String> keys) throws IOException {
    var marked = new ArrayList<String>();
    Manifest.Listing listing = Manifest.listing(store);
    for (String id : listing.unmarked()) {
      Manifest manifest;
      try {
        manifest = Manifest.load(store, id);
      } catch (Manifest.CorruptException e) {
        continue;
      }
      var problems =
          manifest.files().stream()
              .filter(f -> keys.contains(f.blobKey()))
              .map(f -> f.name() + ": " + f.blobKey() + " is damaged (found by the scrub)")
              .toList();
      if (!problems.isEmpty()) {
        Manifest.markBad(store, id, problems);
        marked.add(id);
        log.error("snapshot {} in {} needs a damaged blob; marked bad", id, store.describe());
      }
    }
    return marked;
  }
}
