package dev.ancla.snapshot;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the newest {@code keep} snapshots that verify and collects blobs none of the retained ones
 * needs.
 *
 * <p>Invariants: only a snapshot that passes the {@link StatCheck} (every blob there, with its
 * length and recorded checksum) and carries no bad marker counts towards {@code keep}, so the
 * newest snapshot that verifies is never deleted, however many newer ones are bad; one that fails
 * is marked bad ({@link Manifest#markBad}) and kept as evidence, with its blobs, until {@code keep}
 * snapshots newer than it verify. A blob referenced by a retained manifest is never deleted; a blob
 * written less than {@code grace} ago is never deleted (it may belong to a snapshot still
 * uploading, whose manifest does not exist yet); manifests go before blobs, so a crash in between
 * leaves only garbage, never a manifest without its blobs. Corrupt manifests newer than the oldest
 * kept one are left alone (they are skipped by restore and are evidence); older ones go. A manifest
 * that cannot be read because the store failed, or that a newer Ancla wrote, stops the prune: its
 * blobs cannot be known. With no snapshot that verifies, nothing at all is deleted.
 */
public final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  private final int keep;
  private final Duration grace;
  private final Clock clock;

  public Retention(int keep, Duration grace, Clock clock) {
    if (keep < 2) {
      throw new IllegalArgumentException(
          "keep is " + keep + "; at least 2, so a restore always has a fallback");
    }
    this.keep = keep;
    this.grace = grace;
    this.clock = clock;
  }

  /**
   * What a prune removed, and how many unreferenced blobs it left for being too recent.
   *
   * @param kept the snapshots that verify and are kept, newest first
   * @param bad the retained snapshots marked bad (now or before), newest first
   */
  public record Pruned(
      List<String> manifestsDeleted,
      int blobsDeleted,
      long bytesDeleted,
      int blobsInGrace,
      List<String> kept,
      List<String> bad) {}

  public Pruned prune(BlobStore store) throws IOException {
    return prune(store, new StatCheck(store, 4));
  }

  /** Prunes, checking snapshots with {@code check} (which may already know some blobs). */
  public Pruned prune(BlobStore store, StatCheck check) throws IOException {
    Manifest.Listing listing = Manifest.listing(store);
    Set<String> referenced = new HashSet<>();
    List<String> doomed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String id : listing.ids()) {
      if (kept.size() >= keep) {
        doomed.add(id);
        continue;
      }
      Manifest manifest;
      try {
        manifest = Manifest.load(store, id);
      } catch (Manifest.CorruptException e) {
        log.warn(
            "{}; it is kept for inspection until {} newer snapshots exist", e.getMessage(), keep);
        continue;
      }
      manifest.files().forEach(f -> referenced.add(f.blobKey()));
      if (listing.bad().contains(id)) {
        bad.add(id);
        continue;
      }
      List<String> problems = check.problems(manifest);
      if (problems.isEmpty()) {
        kept.add(id);
      } else {
        log.error(
            "snapshot {} in {} cannot be restored ({}); marked bad, kept as evidence and not"
                + " counted as kept",
            id,
            store.describe(),
            String.join("; ", problems));
        Manifest.markBad(store, id, problems);
        bad.add(id);
      }
    }
    for (String id : doomed) {
      store.delete(Manifest.key(id));
    }
    for (String id : listing.bad()) {
      if (doomed.contains(id) || !listing.ids().contains(id)) {
        store.delete(Manifest.badKey(id)); // after its manifest: a crash leaves only a marker
      }
    }
    if (kept.isEmpty()) {
      // nothing that verifies to measure references against: collect nothing
      return new Pruned(List.copyOf(doomed), 0, 0, 0, List.of(), List.copyOf(bad));
    }
    Instant cutoff = clock.instant().minus(grace);
    int deleted = 0;
    int inGrace = 0;
    long bytes = 0;
    for (BlobStore.Blob blob : store.list("blobs/")) {
      if (referenced.contains(blob.key())) {
        continue;
      }
      if (blob.modified().isAfter(cutoff)) {
        inGrace++;
        continue;
      }
      store.delete(blob.key());
      deleted++;
      bytes += blob.size();
    }
    if (!doomed.isEmpty() || deleted > 0) {
      log.info(
          "retention in {}: deleted {} old snapshots and {} unreferenced blobs ({} bytes); kept {} snapshots that verify",
          store.describe(),
          doomed.size(),
          deleted,
          bytes,
          kept.size());
    }
    return new Pruned(
        List.copyOf(doomed), deleted, bytes, inGrace, List.copyOf(kept), List.copyOf(bad));
  }
}
