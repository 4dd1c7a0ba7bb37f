package dev.ancla.snapshot;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under a root folder (a local disk or a mounted volume). Writes go to a temporary
 * sibling, are fsynced, then renamed into place and the folder fsynced, so a blob is whole or
 * absent even across a power cut.
 */
final class FolderBlobStore implements BlobStore {
  /** Temporary files carry this marker; {@link #list} never shows them. */
  private static final String PARTIAL = ".partial-";

  private final Path root;

  FolderBlobStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public boolean exists(String key) {
    return Files.isRegularFile(resolve(key));
  }

  @Override
  public void put(String key, Path source) throws IOException {
    Path target = resolve(key);
    Path tmp = stage(target, source);
    Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING); // readers never see half a file
    fsync(target.getParent(), StandardOpenOption.READ); // the rename survives a power cut
  }

  @Override
  public void create(String key, Path source) throws IOException {
    Path target = resolve(key);
    Path tmp = stage(target, source);
    try {
      // a hard link fails if the name exists, where rename(2) would silently replace it
      Files.createLink(target, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsync(target.getParent(), StandardOpenOption.READ);
  }

  private Path stage(Path target, Path source) throws IOException {
    Files.createDirectories(target.getParent());
    // unique per call: two uploads of the same blob may run at once
    Path tmp = target.resolveSibling(target.getFileName() + PARTIAL + UUID.randomUUID());
    try {
      Files.copy(source, tmp);
      fsync(tmp, StandardOpenOption.WRITE); // data on disk before a name points at it
      return tmp;
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    Path file = resolve(key);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(key, null, "no such blob in " + root);
    }
    return Files.newInputStream(file);
  }

  @Override
  public List<Blob> list(String prefix) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(
          root.toString(), null, "the snapshot folder does not exist; create it, or fix ANCLA_SNAPSHOT_URL");
    }
    var result = new ArrayList<Blob>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(file) || file.getFileName().toString().contains(PARTIAL)) {
          continue;
        }
        String key = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (key.startsWith(prefix)) {
          result.add(
              new Blob(key, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
        }
      }
    }
    result.sort(Comparator.comparing(Blob::key));
    return result;
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(resolve(key));
  }

  @Override
  public String describe() {
    return root.toString();
  }

  private Path resolve(String key) {
    Path path = root.resolve(BlobStore.checkKey(key)).normalize();
    if (!path.startsWith(root)) {
      throw new IllegalArgumentException("blob key \"" + key + "\" escapes " + root);
    }
    return path;
  }

  static void fsync(Path path, OpenOption mode) throws IOException {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      channel.force(true);
    }
  }
}
