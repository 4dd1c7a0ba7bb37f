package dev.ancla.snapshot;

import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the index's newest commit to a {@link BlobStore} (ARCHITECTURE.md decision 5): uploads
 * only the files the store lacks, as {@code blobs/<sha256>}, in parallel and one file at a time (no
 * local archive), then writes the manifest last, then verifies what it published, then applies
 * retention.
 *
 * <p>A blob already in the store is reused only when the store holds exactly its bytes: its length
 * and, where the store records one, its SHA-256 ({@link StatCheck#problem}); a truncated or
 * mismatched blob (an upload cut by a kill, a hand edit) is uploaded again over it, since a key
 * names its bytes. After the manifest is written, every blob of the snapshot is checked again by
 * stat; a snapshot that fails is marked bad ({@link Manifest#markBad}), reported as not verified,
 * and repaired by the next snapshot.
 *
 * <p>Works beside a live writer: the commit is held with the writer's {@link
 * SnapshotDeletionPolicy}, so Lucene keeps its files until the upload is done. Calls are
 * serialized.
 *
 * <p>Publishes only while it holds the prefix's {@link WriterLease} (decision 6): the lease is
 * checked before the upload starts and again right before the manifest is written; a lost lease is
 * a {@link WriterLease.LostException} and no manifest.
 */
public final class SnapshotMirror {
  private static final Logger log = LoggerFactory.getLogger(SnapshotMirror.class);

  private Instant lastManifestTime = Instant.EPOCH; // guarded by this
  private final BlobStore store;
  private final IndexStore index;
  private final Path indexDir;
  private final Clock clock;
  private final int threads;
  private final Retention retention;
  private final String anclaVersion;
  private final WriterLease lease;

  /** The index's files by hash: cached hashes, and the source a scrub repairs from. */
  private final LocalBlobs local;

  public SnapshotMirror(
      BlobStore store,
      IndexStore index,
      Path indexDir,
      Clock clock,
      int threads,
      Retention retention,
      String anclaVersion,
      WriterLease lease) {
    this.store = store;
    this.index = index;
    this.indexDir = indexDir;
    this.clock = clock;
    this.threads = threads;
    this.retention = retention;
    this.anclaVersion = anclaVersion;
    this.lease = lease;
    this.local = new LocalBlobs(indexDir);
  }

  public LocalBlobs local() {
    return local;
  }

  public int threads() {
    return threads;
  }

  public WriterLease lease() {
    return lease;
  }

  public BlobStore store() {
    return store;
  }

  /** The generation of the index's newest commit; empty before the first. */
  public java.util.Optional<Long> lastCommitGeneration() throws IOException {
    return index.lastCommit().map(dev.ancla.index.CommitInfo::generation);
  }

  /**
   * What one snapshot did.
   *
   * @param repairedBlobs blobs that were in the store with other bytes and were uploaded again
   * @param problems what the check after publishing found; empty when the snapshot verified
   * @param verifyRequests stats made by that check
   * @param verifyTook how long that check took
   */
  public record Result(
      Manifest manifest,
      int uploadedFiles,
      long uploadedBytes,
      int repairedBlobs,
      List<String> problems,
      int verifyRequests,
      Duration verifyTook,
      Duration took,
      Retention.Pruned pruned) {
    public double seconds() {
      return took.toMillis() / 1000.0;
    }

    /** Whether the snapshot just published passed its check: it can be restored. */
    public boolean verified() {
      return problems.isEmpty();
    }

    /** The newest snapshot in the store that verifies, if any: this one, or an older kept one. */
    public java.util.Optional<String> newestVerified() {
      return verified() ? java.util.Optional.of(manifest.id()) : pruned.kept().stream().findFirst();
    }
  }

  private record Uploaded(Manifest.FileEntry entry, boolean uploaded, boolean repaired) {}

  /** Snapshots the newest commit. Fails when the index was opened read-only or never committed. */
  public synchronized Result snapshot() throws IOException {
    SnapshotDeletionPolicy policy =
        index
            .snapshotPolicy()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "snapshots need the index open for writing; use Ancla.openForWriting"));
    long start = System.nanoTime();
    lease.checkBeforePublish(); // no point uploading for a manifest we may not write
    Manifest manifest;
    List<Uploaded> files;
    // blobs a reader found damaged in place, which a stat cannot see: uploaded again
    Map<String, String> reported = DamageReports.list(store);
    try (HeldCommit held = HeldCommit.hold(policy)) {
      var names = new ArrayList<>(held.commit().getFileNames());
      names.sort(null);
      files = Transfers.each(names, threads, name -> upload(name, reported));
      Map<String, String> data = held.commit().getUserData();
      Instant now = nextManifestTime();
      manifest =
          new Manifest(
              Manifest.FORMAT,
              Manifest.newId(now, held.commit().getGeneration()),
              now.toString(),
              held.commit().getGeneration(),
              anclaVersion,
              (int) number(data, "schema"),
              data.getOrDefault("model.name", ""),
              data.getOrDefault("model.fingerprint", ""),
              number(data, "documents"),
              number(data, "chunks"),
              number(data, "failed"),
              data,
              files.stream().map(Uploaded::entry).toList());
      lease.checkBeforePublish();
      writeManifest(manifest); // last: a manifest implies all its blobs
    }
    long verifyStart = System.nanoTime();
    var check = new StatCheck(store, threads);
    List<String> problems = check.problems(manifest);
    int verifyRequests = check.requests();
    Duration verifyTook = Duration.ofNanos(System.nanoTime() - verifyStart);
    if (!problems.isEmpty()) {
      Manifest.markBad(store, manifest.id(), problems);
      log.error(
          "snapshot {} in {} was published but does not verify, so it is marked bad and the next"
              + " snapshot re-uploads what is wrong: {}",
          manifest.id(),
          store.describe(),
          String.join("; ", problems));
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int uploadedFiles = (int) files.stream().filter(Uploaded::uploaded).count();
    long uploadedBytes =
        files.stream().filter(Uploaded::uploaded).mapToLong(u -> u.entry().size()).sum();
    int repaired = (int) files.stream().filter(Uploaded::repaired).count();
    log.info(
        "snapshot {} to {}: {} files, {} bytes; uploaded {} files, {} bytes ({} repaired) in {} ms;"
            + " {}",
        manifest.id(),
        store.describe(),
        manifest.files().size(),
        manifest.bytes(),
        uploadedFiles,
        uploadedBytes,
        repaired,
        took.toMillis(),
        problems.isEmpty()
            ? "verified (" + verifyRequests + " stats in " + verifyTook.toMillis() + " ms)"
            : "NOT verified");
    Retention.Pruned pruned = retention.prune(store, check);
    if (pruned.kept().isEmpty()) {
      log.error(
          "no restorable snapshot in {}: no snapshot there verifies; the next snapshot re-uploads"
              + " what is wrong",
          store.describe());
    }
    return new Result(
        manifest,
        uploadedFiles,
        uploadedBytes,
        repaired,
        List.copyOf(problems),
        verifyRequests,
        verifyTook,
        took,
        pruned);
  }

  /**
   * Manifest ids carry the time to the millisecond and are never reused (a manifest is never
   * overwritten), so two snapshots of one commit within a millisecond must not share a time.
   */
  private Instant nextManifestTime() {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    if (!now.isAfter(lastManifestTime)) {
      now = lastManifestTime.plusMillis(1);
    }
    lastManifestTime = now;
    return now;
  }

  private Uploaded upload(String name, Map<String, String> reported) throws IOException {
    Path file = indexDir.resolve(name);
    long size = Files.size(file);
    String sha = local.sha256(name);
    var entry = new Manifest.FileEntry(name, size, sha, Digest.footerCrc(file).orElse(null));
    var stat = store.stat(entry.blobKey());
    var problem =
        stat.isEmpty() ? java.util.Optional.<String>empty() : StatCheck.problem(entry, stat);
    if (problem.isEmpty() && reported.containsKey(entry.blobKey())) {
      problem = java.util.Optional.of("reported damaged: " + reported.get(entry.blobKey()));
    }
    if (stat.isPresent() && problem.isEmpty()) {
      return new Uploaded(entry, false, false);
    }
    if (problem.isPresent()) {
      log.warn(
          "{} in {} does not hold {}'s bytes ({}); uploading it again",
          entry.blobKey(),
          store.describe(),
          name,
          problem.get());
    }
    store.put(entry.blobKey(), file, sha);
    if (reported.containsKey(entry.blobKey())) {
      DamageReports.withdraw(store, entry.blobKey());
    }
    return new Uploaded(entry, true, problem.isPresent());
  }

  private void writeManifest(Manifest manifest) throws IOException {
    Path tmp = Files.createTempFile(indexDir.getParent(), "manifest-", ".json.tmp");
    try {
      Files.write(tmp, manifest.toJson());
      store.create(manifest.key(), tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static long number(Map<String, String> data, String key) {
    try {
      return Long.parseLong(data.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
