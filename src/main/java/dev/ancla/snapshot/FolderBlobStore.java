package dev.ancla.snapshot;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under a root folder (a local disk or a mounted volume). Writes go to a temporary
 * sibling, are fsynced, then renamed into place and the folder fsynced, so a blob is whole or
 * absent even across a power cut or a SIGKILL (FolderBlobCrashTest).
 *
 * <p>It records no checksum ({@link #stat} has none): a write hashes the bytes as it copies them
 * and renames them into place only when they are the ones the caller named, so a blob under its
 * final name holds exactly the bytes it was put with. Damage after that (a bad disk, a hand edit)
 * is found by reading it: the scrub.
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
  public Optional<Stat> stat(String key) throws IOException {
    Path file = resolve(key);
    try {
      var attributes =
          Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        return Optional.empty();
      }
      return Optional.of(
          new Stat(attributes.size(), Optional.empty(), attributes.lastModifiedTime().toInstant()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void put(String key, Path source) throws IOException {
    put(key, source, null);
  }

  @Override
  public void put(String key, Path source, String sha256) throws IOException {
    Path target = resolve(key);
    Path tmp = stage(target, source, sha256);
    Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING); // readers never see half a file
    fsync(target.getParent(), StandardOpenOption.READ); // the rename survives a power cut
  }

  @Override
  public void create(String key, Path source) throws IOException {
    Path target = resolve(key);
    Path tmp = stage(target, source, null);
    try {
      // a hard link fails if the name exists, where rename(2) would silently replace it
      Files.createLink(target, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
    fsync(target.getParent(), StandardOpenOption.READ);
  }

  /**
   * Copies {@code source} to a new temporary sibling of {@code target}, hashing it on the way, and
   * fsyncs it. When {@code sha256} is not null the copy must hash to it, else it is deleted.
   */
  private Path stage(Path target, Path source, String sha256) throws IOException {
    Files.createDirectories(target.getParent());
    // unique per call: two uploads of the same blob may run at once
    Path tmp = target.resolveSibling(target.getFileName() + PARTIAL + UUID.randomUUID());
    try {
      Digest digest;
      try (InputStream in = Files.newInputStream(source);
          FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          var out = java.nio.channels.Channels.newOutputStream(channel)) {
        digest = Digest.of(in, out);
        channel.force(true); // data on disk before a name points at it
      }
      if (sha256 != null && !digest.sha256().equals(sha256)) {
        throw new ChecksumMismatchException(
            source
                + " hashes to "
                + digest.sha256()
                + ", not "
                + sha256
                + " as expected for "
                + target.getFileName()
                + "; it changed while it was copied, so nothing was stored");
      }
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
          root.toString(),
          null,
          "the snapshot folder does not exist; create it, or fix ANCLA_SNAPSHOT_URL");
    }
    var result = new ArrayList<Blob>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(file) || file.getFileName().toString().contains(PARTIAL)) {
          continue;
        }
        String key =
            root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        if (key.startsWith(prefix)) {
          result.add(new Blob(key, Files.size(file), Files.getLastModifiedTime(file).toInstant()));
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
  public Optional<Versioned> read(String key) throws IOException {
    Path file = resolve(key);
    try {
      byte[] bytes = Files.readAllBytes(file);
      return Optional.of(new Versioned(bytes, version(bytes)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Compare-and-set under an exclusive lock on a sibling file, held across processes (fcntl) and,
   * by retrying on {@link OverlappingFileLockException}, across threads of this one. The version is
   * the content's SHA-256: equal bytes are an equal state, so an ABA write is harmless.
   */
  @Override
  public String compareAndSet(String key, Optional<String> expected, byte[] bytes)
      throws IOException {
    Path target = resolve(key);
    Files.createDirectories(target.getParent());
    Path lockFile = target.resolveSibling(target.getFileName() + PARTIAL + "lock");
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock _ = lock(channel, lockFile)) {
      Optional<String> current = read(key).map(Versioned::version);
      if (current.equals(Optional.of(version(bytes)))) {
        return current.get(); // already holds these bytes (BlobStore's contract)
      }
      if (!current.equals(expected)) {
        throw new ConflictException(
            key
                + " in "
                + root
                + " is "
                + current.map(v -> "version " + v).orElse("absent")
                + ", not "
                + expected.map(v -> "version " + v).orElse("absent"));
      }
      Path tmp = target.resolveSibling(target.getFileName() + PARTIAL + UUID.randomUUID());
      try {
        Files.write(tmp, bytes);
        fsync(tmp, StandardOpenOption.WRITE);
        Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
      fsync(target.getParent(), StandardOpenOption.READ);
      return version(bytes);
    }
  }

  private static FileLock lock(FileChannel channel, Path lockFile) throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return lock;
        }
      } catch (OverlappingFileLockException _) {
        // another thread of this JVM holds it: wait as another process would
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "could not lock " + lockFile + " within 30 s; is a process stuck holding it?");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while locking " + lockFile);
      }
    }
  }

  private static String version(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
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
