package dev.ancla.snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cheap check of a published snapshot: one HEAD (stat) per blob, no bytes read. A blob passes
 * when it exists, has the manifest's length, and, where the store recorded a SHA-256, the
 * manifest's SHA-256, and no reader has reported it damaged ({@link DamageReports}). It catches
 * missing and truncated blobs and blobs put with other bytes; a byte flipped in place is found only
 * by a read (a restore elsewhere, the {@link Scrubber}), which files a report that this check then
 * counts, so the snapshot is no longer called good. Each key is asked once per instance, so one
 * instance checks a new snapshot and then the others retention keeps, which share most blobs, for
 * little more than one snapshot's requests.
 */
public final class StatCheck {
  private final BlobStore store;
  private final int threads;
  private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();
  private Map<String, String> reported; // guarded by this; listed once, on first use
  private final java.util.concurrent.atomic.AtomicInteger requests =
      new java.util.concurrent.atomic.AtomicInteger();

  public StatCheck(BlobStore store, int threads) {
    this.store = store;
    this.threads = threads;
  }

  /** The problem with one stored blob of the entry's bytes, or empty when it holds exactly them. */
  static Optional<String> problem(Manifest.FileEntry file, Optional<BlobStore.Stat> stat) {
    if (stat.isEmpty()) {
      return Optional.of(file.name() + ": blob " + file.blobKey() + " is missing");
    }
    if (stat.get().size() != file.size()) {
      return Optional.of(
          file.name()
              + ": "
              + stat.get().size()
              + " bytes, expected "
              + file.size()
              + " ("
              + file.blobKey()
              + ")");
    }
    if (stat.get().sha256().isPresent() && !stat.get().sha256().get().equals(file.sha256())) {
      return Optional.of(
          file.name()
              + ": the store records SHA-256 "
              + stat.get().sha256().get()
              + " for "
              + file.blobKey());
    }
    return Optional.empty();
  }

  /** Every problem with the manifest's blobs; empty when each one is there with its length. */
  public List<String> problems(Manifest manifest) throws IOException {
    Map<String, String> damaged = reported();
    var unknown = manifest.files().stream().filter(f -> !known.containsKey(f.blobKey())).toList();
    Transfers.each(
        unknown,
        threads,
        f -> {
          requests.incrementAndGet();
          known.put(f.blobKey(), problem(f, store.stat(f.blobKey())));
          return null;
        });
    var problems = new ArrayList<String>();
    for (Manifest.FileEntry f : manifest.files()) {
      known.get(f.blobKey()).ifPresent(problems::add);
      if (damaged.containsKey(f.blobKey()) && known.get(f.blobKey()).isEmpty()) {
        problems.add(f.name() + ": reported damaged (" + damaged.get(f.blobKey()) + ")");
      }
    }
    return problems;
  }

  private synchronized Map<String, String> reported() throws IOException {
    if (reported == null) {
      requests.incrementAndGet();
      reported = DamageReports.list(store);
    }
    return reported;
  }

  /**
   * The newest snapshot of {@code listing} that is not marked bad and passes this check: what Ancla
   * reports as the last good snapshot. Each newer one that fails is put in {@code failed} with its
   * problems (a corrupt manifest included); the caller decides whether to mark it.
   */
  public Optional<Manifest> newestVerified(
      Manifest.Listing listing, Map<String, List<String>> failed) throws IOException {
    for (String id : listing.unmarked()) {
      Manifest manifest;
      try {
        manifest = Manifest.load(store, id);
      } catch (Manifest.CorruptException e) {
        failed.put(id, List.of(e.getMessage()));
        continue;
      }
      List<String> problems = problems(manifest);
      if (problems.isEmpty()) {
        return Optional.of(manifest);
      }
      failed.put(id, problems);
    }
    return Optional.empty();
  }

  /** How many stats this check has made. */
  public int requests() {
    return requests.get();
  }
}
