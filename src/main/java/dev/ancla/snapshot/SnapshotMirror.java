package dev.ancla.snapshot;

import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the index's newest commit to a {@link BlobStore} (ARCHITECTURE.md decision 5): uploads
 * only the files the store lacks, as {@code blobs/<sha256>}, in parallel and one file at a time (no
 * local archive), then writes the manifest last, then applies retention.
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

  /**
   * Lucene files never change once written, so a hash is reused while name, size and time match.
   */
  private final Map<String, Hashed> hashes = new ConcurrentHashMap<>();

  private record Hashed(long size, long modified, String sha256) {}

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

  /** What one snapshot did. */
  public record Result(
      Manifest manifest,
      int uploadedFiles,
      long uploadedBytes,
      Duration took,
      Retention.Pruned pruned) {
    public double seconds() {
      return took.toMillis() / 1000.0;
    }
  }

  private record Uploaded(Manifest.FileEntry entry, boolean uploaded) {}

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
    try (HeldCommit held = HeldCommit.hold(policy)) {
      var names = new ArrayList<>(held.commit().getFileNames());
      names.sort(null);
      files = Transfers.each(names, threads, this::upload);
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
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int uploadedFiles = (int) files.stream().filter(Uploaded::uploaded).count();
    long uploadedBytes =
        files.stream().filter(Uploaded::uploaded).mapToLong(u -> u.entry().size()).sum();
    log.info(
        "snapshot {} to {}: {} files, {} bytes; uploaded {} files, {} bytes in {} ms",
        manifest.id(),
        store.describe(),
        manifest.files().size(),
        manifest.bytes(),
        uploadedFiles,
        uploadedBytes,
        took.toMillis());
    Retention.Pruned pruned = retention.prune(store);
    return new Result(manifest, uploadedFiles, uploadedBytes, took, pruned);
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

  private Uploaded upload(String name) throws IOException {
    Path file = indexDir.resolve(name);
    long size = Files.size(file);
    String sha = sha256(name, file, size);
    var entry = new Manifest.FileEntry(name, size, sha);
    if (store.exists(entry.blobKey())) {
      return new Uploaded(entry, false);
    }
    store.put(entry.blobKey(), file);
    return new Uploaded(entry, true);
  }

  private String sha256(String name, Path file, long size) throws IOException {
    long modified = Files.getLastModifiedTime(file).toMillis();
    Hashed known = hashes.get(name);
    if (known != null && known.size() == size && known.modified() == modified) {
      return known.sha256();
    }
    Digest digest;
    try (InputStream in = Files.newInputStream(file)) {
      digest = Digest.of(in, null);
    }
    if (digest.size() != size) {
      throw new IOException(
          file
              + " changed while it was read; Lucene files are immutable, so the index is being modified outside Ancla");
    }
    hashes.put(name, new Hashed(size, modified, digest.sha256()));
    return digest.sha256();
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
