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
 * Keeps the newest {@code keep} readable manifests and collects blobs none of them needs.
 *
 * <p>Invariants: a blob referenced by a kept manifest is never deleted; a blob written less than
 * {@code grace} ago is never deleted (it may belong to a snapshot still uploading, whose manifest
 * does not exist yet); manifests go before blobs, so a crash in between leaves only garbage, never
 * a manifest without its blobs. Corrupt manifests newer than the oldest kept one are left alone
 * (they are skipped by restore and are evidence); older ones go. A manifest that cannot be read
 * because the store failed, or that a newer Ancla wrote, stops the prune: its blobs cannot be
 * known. With no readable manifest at all, no blob is collected.
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

  /** What a prune removed, and how many unreferenced blobs it left for being too recent. */
  public record Pruned(
      List<String> manifestsDeleted, int blobsDeleted, long bytesDeleted, int blobsInGrace) {}

  public Pruned prune(BlobStore store) throws IOException {
    List<String> ids = Manifest.ids(store);
    Set<String> referenced = new HashSet<>();
    List<String> doomed = new ArrayList<>();
    int kept = 0;
    for (String id : ids) {
      if (kept >= keep) {
        doomed.add(id);
        continue;
      }
      try {
        Manifest.load(store, id).files().forEach(f -> referenced.add(f.blobKey()));
        kept++;
      } catch (Manifest.CorruptException e) {
        log.warn(
            "{}; it is kept for inspection until {} newer snapshots exist", e.getMessage(), keep);
      }
    }
    for (String id : doomed) {
      store.delete(Manifest.key(id));
    }
    if (kept == 0) {
      // nothing readable to measure references against: collect nothing
      return new Pruned(List.copyOf(doomed), 0, 0, 0);
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
          "retention in {}: deleted {} old snapshots and {} unreferenced blobs ({} bytes); kept {} snapshots",
          store.describe(),
          doomed.size(),
          deleted,
          bytes,
          kept);
    }
    return new Pruned(List.copyOf(doomed), deleted, bytes, inGrace);
  }
}
