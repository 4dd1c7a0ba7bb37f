package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's local copy of published snapshots (ARCHITECTURE.md decision 16), laid out so that no
 * file an open reader uses is ever overwritten:
 *
 * <ul>
 *   <li>{@code blobs/<sha256>}: each blob once, downloaded under a temporary name, checked as a
 *       restore checks it (length, SHA-256, Lucene's footer checksum), fsynced, then renamed. A
 *       blob already here is not downloaded again, so a new snapshot costs only its new segments.
 *   <li>{@code commits/<manifest id>/}: one directory per snapshot, holding a hard link per Lucene
 *       file name to its blob. Built under a temporary name and renamed when its commit reads back
 *       as the manifest's, never changed after.
 * </ul>
 *
 * <p>Why per-commit directories: after a failover two writers may each have written a file with the
 * same Lucene name and different bytes ({@code _5.cfs}). In one shared directory the newer would
 * replace the older under a reader that maps it. Here each commit sees only its own names, and a
 * blob's bytes never change, since its name is its hash. A blob no commit directory links to any
 * more (link count 1) is deleted by {@link #retire}.
 */
public final class FollowerCopy {
  private static final Logger log = LoggerFactory.getLogger(FollowerCopy.class);

  /**
   * A snapshot that can never be served as it is: a blob is missing, or its bytes or its commit are
   * not what the manifest says. Other IOExceptions (the store did not answer) may pass.
   */
  public static final class DamagedException extends IOException {
    DamagedException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final BlobStore store;
  private final Path blobs;
  private final Path commits;
  private final int threads;
  private final AtomicLong downloadedBytes = new AtomicLong();

  /** {@code root}: a directory of this instance's own, e.g. {@code <data dir>/follow}. */
  public FollowerCopy(BlobStore store, Path root, int threads) throws IOException {
    this.store = store;
    this.blobs = Files.createDirectories(root.resolve("blobs"));
    this.commits = Files.createDirectories(root.resolve("commits"));
    this.threads = threads;
  }

  /** Bytes downloaded since this copy was made: what following has cost. */
  public long downloadedBytes() {
    return downloadedBytes.get();
  }

  /**
   * Drops what a previous run left: half-built commit directories, half-downloaded blobs, and every
   * commit directory (nothing reads them before the first {@link #materialize}); keeps the complete
   * blobs, which spare the next snapshot's download.
   */
  public void cleanUp() throws IOException {
    for (Path dir : list(commits)) {
      Restorer.deleteTree(dir);
    }
    for (Path blob : list(blobs)) {
      if (blob.getFileName().toString().contains(".partial")) {
        Files.deleteIfExists(blob);
      }
    }
  }

  /**
   * The directory holding {@code manifest}'s commit, downloading the blobs not here yet. Throws,
   * leaving no directory for it, when a blob is missing or damaged or the commit does not read back
   * as the manifest's; what was served stays as it was.
   */
  public Path materialize(Manifest manifest) throws IOException {
    Path done = commits.resolve(manifest.id());
    if (Files.isDirectory(done)) {
      return done;
    }
    var missing = new ArrayList<Manifest.FileEntry>();
    Set<String> seen = new HashSet<>();
    for (var file : manifest.files()) {
      if (seen.add(file.sha256()) && !Files.exists(blobs.resolve(file.sha256()))) {
        missing.add(file);
      }
    }
    Transfers.each(missing, threads, this::download);
    Path tmp = commits.resolve(manifest.id() + ".partial");
    Restorer.deleteTree(tmp);
    Files.createDirectories(tmp);
    try {
      for (var file : manifest.files()) {
        Files.createLink(tmp.resolve(file.name()), blobs.resolve(file.sha256()));
      }
      try {
        checkCommit(manifest, tmp);
      } catch (IOException e) {
        throw new DamagedException(e.getMessage(), e);
      }
      FolderBlobStore.fsync(tmp, StandardOpenOption.READ);
      Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
      FolderBlobStore.fsync(commits, StandardOpenOption.READ);
    } catch (IOException | RuntimeException e) {
      Restorer.deleteTree(tmp);
      throw e;
    }
    log.debug(
        "snapshot {}: {} files, {} downloaded", manifest.id(), manifest.files().size(), missing);
    return done;
  }

  /** Deletes a commit directory nobody reads any more, and the blobs only it linked to. */
  public void retire(Path commitDir) throws IOException {
    Restorer.deleteTree(commitDir);
    for (Path blob : list(blobs)) {
      try {
        if (((Number) Files.getAttribute(blob, "unix:nlink")).intValue() <= 1) {
          Files.deleteIfExists(blob);
        }
      } catch (NoSuchFileException e) {
        // deleted meanwhile
      } catch (UnsupportedOperationException e) {
        return; // no link counts on this file system: blobs are kept, which is safe
      }
    }
  }

  private Void download(Manifest.FileEntry file) throws IOException {
    Path target = blobs.resolve(file.sha256());
    Path tmp =
        blobs.resolve(
            file.sha256() + ".partial-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    Digest digest;
    InputStream opened;
    try {
      opened = store.open(file.blobKey());
    } catch (NoSuchFileException e) {
      throw new DamagedException(
          "blob " + file.blobKey() + " of " + file.name() + " is missing", e);
    }
    try (InputStream in = opened;
        FileChannel channel =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        var out = new WritebackOutputStream(channel)) {
      digest = Digest.of(in, out);
      out.finish();
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    downloadedBytes.addAndGet(digest.size());
    String problem = null;
    if (digest.size() != file.size()) {
      problem = "has " + digest.size() + " bytes; the manifest says " + file.size();
      DamageReports.report(store, file.blobKey(), "follower: " + file.name() + " " + problem);
    } else if (!digest.sha256().equals(file.sha256())) {
      problem = "has SHA-256 " + digest.sha256() + "; the blob is corrupt";
      // the writer re-uploads it from its local index, so its next snapshot is whole
      DamageReports.report(store, file.blobKey(), "follower: " + file.name() + " " + problem);
    } else if (!digest.luceneFooterValid()) {
      problem = "fails Lucene's footer checksum";
    }
    if (problem != null) {
      Files.deleteIfExists(tmp);
      throw new DamagedException(
          "file " + file.name() + " (" + file.blobKey() + ") " + problem, null);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return null;
  }

  /**
   * As a restore checks it: the commit's generation is the manifest's, its files the manifest's.
   */
  private static void checkCommit(Manifest manifest, Path dir) throws IOException {
    SegmentInfos commit;
    try (Directory directory = FSDirectory.open(dir)) {
      commit = SegmentInfos.readLatestCommit(directory);
    }
    Set<String> names = new HashSet<>();
    manifest.files().forEach(f -> names.add(f.name()));
    for (String file : commit.files(true)) {
      if (!names.contains(file)) {
        throw new IOException("the commit names " + file + ", which is not in the manifest");
      }
    }
    if (commit.getGeneration() != manifest.generation()) {
      throw new IOException(
          "the commit has generation "
              + commit.getGeneration()
              + "; the manifest says "
              + manifest.generation());
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    }
  }
}
