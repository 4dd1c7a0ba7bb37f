package dev.ancla.snapshot;

import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a snapshot back into a data directory (ARCHITECTURE.md decisions 5 and 7).
 *
 * <p>Contract: the index directory appears only as a whole, verified index. Files are downloaded in
 * parallel into a temporary directory beside it, each checked for length, SHA-256 and Lucene's
 * footer checksum; the index is opened and its counts compared with the manifest; only then is the
 * temporary directory renamed into place. An existing index is never overwritten. When the newest
 * snapshot fails any check, the previous one is tried, and so on; when none can be restored, or the
 * store cannot be read, restore fails: it never hands back an empty or corrupt index.
 */
public final class Restorer {
  private static final Logger log = LoggerFactory.getLogger(Restorer.class);

  /** Room left free beyond the index itself: Lucene and the OS need some. */
  private static final long DISK_MARGIN = 16L * 1024 * 1024;

  private final BlobStore store;
  private final int threads;

  public Restorer(BlobStore store, int threads) {
    this.store = store;
    this.threads = threads;
  }

  /** What was restored. {@code skipped} lists the newer snapshots that failed, with why. */
  public record Restored(Manifest manifest, long bytes, Duration took, List<String> skipped) {}

  /** Thrown when the store is readable but no snapshot in it can be restored. */
  public static final class NothingRestorableException extends IOException {
    NothingRestorableException(String message) {
      super(message);
    }
  }

  /**
   * Restores the newest snapshot that verifies. Empty when the store has no snapshot at all (a
   * first deploy). Throws when the store cannot be listed or every snapshot fails.
   */
  public Optional<Restored> restoreNewest(Path indexDir) throws IOException {
    List<String> ids = Manifest.ids(store);
    if (ids.isEmpty()) {
      log.info("no snapshots in {} yet", store.describe());
      return Optional.empty();
    }
    return Optional.of(restoreFirst(ids, indexDir));
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
                manifest, manifest.bytes(), Duration.ofNanos(System.nanoTime() - start), skipped);
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
      checkLuceneFooters(manifest, tmp);
      checkOpensWithTheManifestCounts(manifest, tmp);
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
        OutputStream out = Channels.newOutputStream(channel)) {
      digest = Digest.of(in, out);
      channel.force(true);
    }
    if (digest.size() != file.size()) {
      throw new IOException(
          "file "
              + file.name()
              + " ("
              + file.blobKey()
              + ") has "
              + digest.size()
              + " bytes; the manifest says "
              + file.size());
    }
    if (!digest.sha256().equals(file.sha256())) {
      throw new IOException(
          "file "
              + file.name()
              + " ("
              + file.blobKey()
              + ") has SHA-256 "
              + digest.sha256()
              + "; the blob is corrupt");
    }
    return null;
  }

  /** Lucene's own check of every file, as written to disk here. */
  private static void checkLuceneFooters(Manifest manifest, Path dir) throws IOException {
    try (Directory directory = FSDirectory.open(dir)) {
      for (Manifest.FileEntry file : manifest.files()) {
        try (IndexInput in = directory.openInput(file.name(), IOContext.READONCE)) {
          CodecUtil.checksumEntireFile(in);
        } catch (IOException e) {
          throw new IOException(
              "file " + file.name() + " fails Lucene's checksum: " + e.getMessage(), e);
        }
      }
    }
  }

  private static void checkOpensWithTheManifestCounts(Manifest manifest, Path dir)
      throws IOException {
    try (IndexStore index = IndexStore.openReadOnly(dir)) {
      CommitInfo commit =
          index.lastCommit().orElseThrow(() -> new IOException("no commit after restore"));
      IndexStore.Counts counts = index.counts();
      if (commit.generation() != manifest.generation()
          || counts.documents() != manifest.documents()
          || counts.chunks() != manifest.chunks()) {
        throw new IOException(
            "the restored index has generation "
                + commit.generation()
                + ", "
                + counts.documents()
                + " documents and "
                + counts.chunks()
                + " chunks; the manifest says "
                + manifest.generation()
                + ", "
                + manifest.documents()
                + " and "
                + manifest.chunks());
      }
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
