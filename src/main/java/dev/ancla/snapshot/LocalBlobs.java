package dev.ancla.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The local index as a source of blobs: which file of its newest commit has a given SHA-256, for
 * repairing a damaged blob in the store. Reads the commit without the write lock (a serving
 * instance may hold it), so a file may go away between the lookup and the upload; the upload is a
 * verified put ({@link BlobStore#put(String, Path, String)}), so the worst case is "not repaired",
 * never a wrong blob. Lucene files never change once written, so hashes are cached by name, size
 * and modification time.
 */
public final class LocalBlobs {
  private final Path indexDir;
  private final Map<String, Hashed> hashes = new ConcurrentHashMap<>();

  private record Hashed(long size, long modified, String sha256) {}

  public LocalBlobs(Path indexDir) {
    this.indexDir = indexDir;
  }

  /** The SHA-256 of one index file, from the cache while its name, size and time match. */
  String sha256(String name) throws IOException {
    Path file = indexDir.resolve(name);
    long size = Files.size(file);
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
              + " changed while it was read; Lucene files are immutable, so the index is being"
              + " modified outside Ancla");
    }
    hashes.put(name, new Hashed(size, modified, digest.sha256()));
    return digest.sha256();
  }

  /** The file of the newest local commit whose bytes hash to {@code sha256}, if any. */
  public Optional<Path> find(String sha256) throws IOException {
    if (!Files.isDirectory(indexDir)) {
      return Optional.empty();
    }
    java.util.Collection<String> names;
    try (Directory directory = FSDirectory.open(indexDir)) {
      names = SegmentInfos.readLatestCommit(directory).files(true);
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return Optional.empty(); // no commit here
    }
    for (String name : names) {
      try {
        if (sha256(name).equals(sha256)) {
          return Optional.of(indexDir.resolve(name));
        }
      } catch (NoSuchFileException e) {
        // a newer commit deleted it meanwhile
      }
    }
    return Optional.empty();
  }

  /**
   * Uploads the local file with these bytes over {@code blobs/<sha256>}; false when the local index
   * no longer has them.
   */
  public boolean repair(BlobStore store, String sha256) throws IOException {
    Optional<Path> file = find(sha256);
    if (file.isEmpty()) {
      return false;
    }
    try {
      store.put("blobs/" + sha256, file.get(), sha256);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
