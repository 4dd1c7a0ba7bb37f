package dev.ancla.snapshot;

import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a snapshot back into a data directory (ARCHITECTURE.md decisions 5 and 7).
 *
 * <p>Contract: the index directory appears only as a whole, verified index. Files are downloaded in
 * parallel into a temporary directory beside it, each checked for length, SHA-256 and Lucene's
 * footer checksum in one pass over the bytes as they stream in, and fsynced by the thread that
 * downloaded it; the commit is read and compared with the manifest (generation, files); only then
 * is the temporary directory fsynced and renamed into place. An existing index is never
 * overwritten. When the newest snapshot fails any check, the previous one is tried, and so on; when
 * none can be restored, or the store cannot be read, restore fails: it never hands back an empty or
 * corrupt index.
 */
public final class Restorer {
  private static final Logger log = LoggerFactory.getLogger(Restorer.class);

  /** Room left free beyond the index itself: Lucene and the OS need some. */
  private static final long DISK_MARGIN = 16L * 1024 * 1024;

  /**
   * How long a restore that found damaged blobs waits for a live writer to repair them: the writer
   * looks for reports every {@link DamageReports#CHECK_EVERY}, so three looks.
   */
  public static final Duration REPAIR_WAIT = DamageReports.CHECK_EVERY.multipliedBy(3);

  private final BlobStore store;
  private final int threads;
  private final Duration repairWait;
  private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public Restorer(BlobStore store, int threads) {
    this(store, threads, REPAIR_WAIT);
  }

  /**
   * {@code repairWait}: when every snapshot fails because of blobs this restore reported damaged
   * and a writer holds a live lease, how long to wait for it to repair them before failing.
   */
  public Restorer(BlobStore store, int threads, Duration repairWait) {
    this.store = store;
    this.threads = threads;
    this.repairWait = repairWait;
  }

  /**
   * What was restored. {@code skipped} lists the newer snapshots that failed, with why; {@code
   * salvaged}, when no snapshot restored whole, what the one restored lost ({@link Salvage}).
   */
  public record Restored(
      Manifest manifest,
      long bytes,
      Duration took,
      List<String> skipped,
      Optional<String> salvaged) {}

  /** Thrown when the store is readable but no snapshot in it can be restored. */
  public static final class NothingRestorableException extends IOException {
    NothingRestorableException(String message) {
      super(message);
    }
  }

  /**
   * Restores the newest snapshot that verifies, trying those not marked bad first. Empty when the
   * store has no snapshot at all (a first deploy). Throws when the store cannot be listed or every
   * snapshot fails.
   */
  public Optional<Restored> restoreNewest(Path indexDir) throws IOException {
    // snapshots marked bad (they failed verification) come after every unmarked one
    List<String> ids = Manifest.listing(store).restoreOrder();
    if (ids.isEmpty()) {
      log.info("no snapshots in {} yet", store.describe());
      return Optional.empty();
    }
    try {
      return Optional.of(restoreFirst(ids, indexDir));
    } catch (NothingRestorableException e) {
      if (waitForRepair()) {
        log.info("the writer repaired the damaged blobs; restoring again");
        try {
          return Optional.of(restoreFirst(Manifest.listing(store).restoreOrder(), indexDir));
        } catch (NothingRestorableException again) {
          e = again;
        }
      }
      return Optional.of(salvageFirst(Manifest.listing(store).restoreOrder(), indexDir, e));
    }
  }

  /**
   * Keeps what the newest salvageable snapshot still holds ({@link Salvage}); throws {@code
   * nothing}, with each salvage's failure added, when none is.
   */
  private Restored salvageFirst(List<String> ids, Path indexDir, NothingRestorableException nothing)
      throws IOException {
    long start = System.nanoTime();
    var failures = new ArrayList<String>();
    for (String id : ids) {
      Path dataDir = indexDir.toAbsolutePath().getParent();
      Path tmp = dataDir.resolve(indexDir.getFileName() + ".restoring");
      try {
        Manifest manifest = Manifest.load(store, id);
        deleteTree(tmp);
        checkFreeSpace(dataDir, manifest);
        Files.createDirectories(tmp);
        var damaged = new java.util.concurrent.ConcurrentHashMap<String, String>();
        Transfers.each(
            manifest.files(),
            threads,
            f -> {
              try {
                download(f, tmp);
              } catch (IOException e) {
                Files.deleteIfExists(tmp.resolve(f.name()));
                damaged.put(f.name(), f.name() + ": " + e.getMessage());
              }
              return null;
            });
        Salvage.Salvaged salvaged = Salvage.salvage(tmp, manifest, damaged);
        FolderBlobStore.fsync(tmp, StandardOpenOption.READ);
        refuseExistingIndex(indexDir);
        moveAsideIfPresent(indexDir);
        Files.move(tmp, indexDir, StandardCopyOption.ATOMIC_MOVE);
        FolderBlobStore.fsync(dataDir, StandardOpenOption.READ);
        log.error(
            "no snapshot in {} restores whole; {} ({})",
            store.describe(),
            salvaged.describe(),
            String.join("; ", salvaged.problems()));
        return new Restored(
            manifest,
            manifest.bytes(),
            Duration.ofNanos(System.nanoTime() - start),
            List.of(nothing.getMessage()),
            Optional.of(salvaged.describe()));
      } catch (IOException | RuntimeException e) {
        deleteTree(tmp);
        failures.add(id + ": " + e.getMessage());
      }
    }
    var e =
        new NothingRestorableException(
            nothing.getMessage()
                + "\nNone could be salvaged either:\n- "
                + String.join("\n- ", failures));
    e.addSuppressed(nothing);
    throw e;
  }

  /**
   * After every snapshot failed on blobs this restore reported damaged: waits while a writer holds
   * a live lease (it repairs reported blobs from its local index) until the reports are withdrawn.
   * True when they were, false when there is no writer to wait for or it did not repair in time.
   */
  private boolean waitForRepair() throws IOException {
    if (reported.isEmpty() || repairWait.isZero()) {
      return false;
    }
    var lease = WriterLease.peek(store);
    if (lease.isEmpty() || lease.get().expired(java.time.Instant.now())) {
      return false; // nobody holds the lease: nobody will repair
    }
    log.warn(
        "waiting up to {} s for the writer {} to repair {} damaged blobs from its local index",
        repairWait.toSeconds(),
        lease.get().holder(),
        reported.size());
    long deadline = System.nanoTime() + repairWait.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for a repair");
      }
      var open = DamageReports.list(store).keySet();
      if (reported.stream().noneMatch(open::contains)) {
        reported.clear();
        return true;
      }
    }
    log.warn("the writer did not repair the damaged blobs within {} s", repairWait.toSeconds());
    return false;
  }

  /** Restores exactly one snapshot; no fallback, since the user chose it. */
  public Restored restore(String id, Path indexDir) throws IOException {
    return restoreFirst(List.of(id), indexDir);
  }

  private Restored restoreFirst(List<String> ids, Path indexDir) throws IOException {
    refuseExistingIndex(indexDir);
    long start = System.nanoTime();
    var skipped = new ArrayList<String>();
    for (String id : ids) {
      try {
        Manifest manifest = Manifest.load(store, id);
        restoreOne(manifest, indexDir);
        var restored =
            new Restored(
                manifest,
                manifest.bytes(),
                Duration.ofNanos(System.nanoTime() - start),
                skipped,
                Optional.empty());
        log.info(
            "restored snapshot {} from {}: {} documents, {} chunks, {} files, {} bytes in {} ms{}",
            id,
            store.describe(),
            manifest.documents(),
            manifest.chunks(),
            manifest.files().size(),
            manifest.bytes(),
            restored.took().toMillis(),
            skipped.isEmpty()
                ? ""
                : " (skipped " + skipped.size() + " newer snapshots that failed verification)");
        return restored;
      } catch (IOException e) {
        log.warn("snapshot {} cannot be restored: {}", id, e.getMessage());
        skipped.add(id + ": " + e.getMessage());
      }
    }
    throw new NothingRestorableException(
        "no snapshot in "
            + store.describe()
            + " could be restored; refusing to start from an empty index:\n- "
            + String.join("\n- ", skipped));
  }

  private static void refuseExistingIndex(Path indexDir) throws IOException {
    if (IndexStore.exists(indexDir)) {
      throw new IOException(
          indexDir
              + " already holds an index; restore never overwrites one. Move it aside first, e.g. mv "
              + indexDir
              + " "
              + indexDir
              + ".old");
    }
  }

  private void restoreOne(Manifest manifest, Path indexDir) throws IOException {
    Path dataDir = indexDir.toAbsolutePath().getParent();
    Files.createDirectories(dataDir);
    Path tmp = dataDir.resolve(indexDir.getFileName() + ".restoring");
    deleteTree(tmp); // a restore killed half-way leaves one
    checkFreeSpace(dataDir, manifest);
    Files.createDirectories(tmp);
    try {
      Transfers.each(manifest.files(), threads, f -> download(f, tmp));
      checkCommitIsTheManifests(manifest, tmp);
      FolderBlobStore.fsync(tmp, StandardOpenOption.READ);
      refuseExistingIndex(indexDir);
      moveAsideIfPresent(indexDir);
      Files.move(tmp, indexDir, StandardCopyOption.ATOMIC_MOVE);
      FolderBlobStore.fsync(dataDir, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void checkFreeSpace(Path dataDir, Manifest manifest) throws IOException {
    long free = Files.getFileStore(dataDir).getUsableSpace();
    long needed = manifest.bytes() + DISK_MARGIN;
    if (free < needed) {
      throw new IOException(
          "snapshot "
              + manifest.id()
              + " needs "
              + mb(needed)
              + " MB in "
              + dataDir
              + " but "
              + mb(free)
              + " MB are free");
    }
  }

  private Void download(Manifest.FileEntry file, Path dir) throws IOException {
    Path target = dir.resolve(file.name());
    Digest digest;
    try (InputStream in = store.open(file.blobKey());
        FileChannel channel =
            FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        var out = new WritebackOutputStream(channel)) {
      // one pass: length, Lucene's footer CRC32 and, where the manifest records no CRC32, the
      // SHA-256, as the bytes stream in, no re-read
      digest = Digest.of(in, out, file.crc().isEmpty());
      out.finish();
      channel.force(true); // the fsync that counts, in this download thread, beside the others
    }
    if (digest.size() != file.size()) {
      throw damaged(
          file, named(file) + " has " + digest.size() + " bytes; the manifest says " + file.size());
    }
    if (file.crc().isPresent() && digest.footerCrc() != file.crc().get()) {
      throw damaged(
          file,
          named(file)
              + " ends with CRC32 "
              + Long.toHexString(digest.footerCrc())
              + "; the manifest says "
              + Long.toHexString(file.crc().get())
              + ": the blob is corrupt");
    }
    if (file.crc().isEmpty() && !digest.sha256().equals(file.sha256())) {
      throw damaged(
          file, named(file) + " has SHA-256 " + digest.sha256() + "; the blob is corrupt");
    }
    if (!digest.luceneFooterValid() && file.crc().isPresent()) {
      // the footer holds the manifest's CRC32 and the bytes before it do not match it: damaged
      // in the store, or before upload; the writer reads the blob, tells which, and repairs
      throw damaged(
          file,
          named(file)
              + " fails Lucene's checksum: its bytes are not the CRC32 its footer and the manifest"
              + " name");
    }
    if (!digest.luceneFooterValid()) {
      // the bytes are the manifest's, so the file was damaged before upload: no report, since
      // the writer's copy is the same and re-uploading it would repair nothing
      throw new IOException(
          "file "
              + file.name()
              + " fails Lucene's checksum: its footer (magic, algorithm 0, CRC32 of the bytes"
              + " before it) does not match its contents");
    }
    return null;
  }

  /** "file NAME (blobs/SHA)", for messages. */
  private static String named(Manifest.FileEntry file) {
    return "file " + file.name() + " (" + file.blobKey() + ")";
  }

  /**
   * A blob whose bytes are not the manifest's: reported to the writer, which re-uploads it from its
   * local index ({@link DamageReports}); the restore goes on to the previous snapshot.
   */
  private IOException damaged(Manifest.FileEntry file, String problem) {
    reported.add(file.blobKey());
    DamageReports.report(store, file.blobKey(), "restore of " + file.name() + ": " + problem);
    return new IOException(problem);
  }

  /**
   * The commit in {@code dir} is the manifest's: Lucene reads {@code segments_N} and every
   * segment's {@code .si} (both checksummed in full), its generation must be the manifest's, and
   * every file it names must be a file of the manifest, so the directory is a complete index.
   *
   * <p>Why the index is not opened here to compare its document and chunk counts with the
   * manifest's (as restore did until 2026-11): every file has just been checked, as it streamed in,
   * against the manifest's length and SHA-256 and against its own Lucene footer CRC32, so the bytes
   * on disk are exactly the bytes of the commit the manifest was written from, and that commit's
   * counts are the manifest's counts. Opening a reader re-proved that at the cost of opening the
   * index twice at boot (here, then {@code IndexStore.openForWriting}); what it could still catch
   * beyond this check is a manifest that names the right files with the wrong counts, i.e. a bug in
   * the snapshot writer, not damage. For the same reason boot runs no {@code IndexCheck} on a
   * just-restored index: it checked that the directory was missing, and this check is stricter than
   * {@code IndexCheck} (every byte of every file was checksummed, not only the small ones).
   */
  private static void checkCommitIsTheManifests(Manifest manifest, Path dir) throws IOException {
    SegmentInfos commit;
    try (Directory directory = FSDirectory.open(dir)) {
      commit = SegmentInfos.readLatestCommit(directory);
      Set<String> files = new HashSet<>();
      manifest.files().forEach(f -> files.add(f.name()));
      for (String file : commit.files(true)) {
        if (!files.contains(file)) {
          throw new IOException(
              "the restored commit names " + file + ", which is not in the manifest");
        }
      }
    } catch (IOException e) {
      throw new IOException("the restored index does not open: " + e.getMessage(), e);
    }
    if (commit.getGeneration() != manifest.generation()) {
      throw new IOException(
          "the restored index has generation "
              + commit.getGeneration()
              + "; the manifest says "
              + manifest.generation());
    }
  }

  /**
   * A directory without a valid index (e.g. an interrupted first indexing) is kept aside, not
   * deleted.
   */
  private static void moveAsideIfPresent(Path indexDir) throws IOException {
    if (!Files.exists(indexDir)) {
      return;
    }
    try (Stream<Path> entries = Files.list(indexDir)) {
      if (entries.findAny().isEmpty()) {
        Files.delete(indexDir);
        return;
      }
    }
    Path aside =
        indexDir.resolveSibling(indexDir.getFileName() + ".invalid-" + System.currentTimeMillis());
    Files.move(indexDir, aside, StandardCopyOption.ATOMIC_MOVE);
    log.warn("{} held no valid index; moved it to {}", indexDir, aside);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }
}
