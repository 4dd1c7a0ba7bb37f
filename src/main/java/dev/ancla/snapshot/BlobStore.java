package dev.ancla.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where snapshots live: a flat namespace of immutable blobs. Keys are relative, '/'-separated, and
 * never start with '/' or contain "..".
 *
 * <p>Contract, checked by {@code BlobStoreContract} on every implementation:
 *
 * <ul>
 *   <li>{@link #put} and {@link #create} are atomic: a reader sees all of a blob or nothing.
 *   <li>{@link #create} never replaces a blob: it fails with {@link
 *       java.nio.file.FileAlreadyExistsException} if the key exists (manifests are never
 *       overwritten).
 *   <li>{@link #open} of an absent key fails with {@link java.nio.file.NoSuchFileException}; {@link
 *       #delete} of an absent key succeeds (deletes are idempotent, as in S3).
 *   <li>{@link #list} returns every blob whose key starts with the prefix, sorted by key.
 *   <li>{@link #compareAndSet} replaces a small object only if it is still the version the caller
 *       read (or creates it only if absent), else fails with {@link ConflictException}: the lease
 *       (ARCHITECTURE.md decision 6) relies on it. Writing the bytes the object already holds is
 *       not a conflict: that is how a write retried after a lost response (S3) finds it succeeded,
 *       and a lease's bytes name its holder, so no other writer's are equal.
 *   <li>{@link #put(String, Path, String)} stores the file only if its bytes hash to the SHA-256
 *       given, and the store checks that where it can (S3: {@code x-amz-checksum-sha256}, answered
 *       400 when the body that arrived differs); a mismatch is a {@link ChecksumMismatchException}
 *       and nothing is stored under the key.
 *   <li>{@link #stat} tells what a key holds without reading it: its length always, and the SHA-256
 *       recorded by {@link #put(String, Path, String)} where the store keeps one. A store that
 *       keeps none (the folder store) must write atomically and verify each write instead, so a
 *       blob under its final name always has the bytes it was written with; damage after the write
 *       is found by reading ({@link Scrubber}).
 *   <li>Failures to reach the store are {@link IOException}s whose message names the store and the
 *       key, never a credential.
 * </ul>
 */
public interface BlobStore extends Closeable {

  /** One stored blob. {@code modified} is when it was last written (used for the GC grace). */
  record Blob(String key, long size, Instant modified) {}

  boolean exists(String key) throws IOException;

  /**
   * What a key holds, without reading it. {@code sha256} is the lowercase hex SHA-256 the store
   * recorded when the blob was put with one (empty for blobs put without, and in stores that keep
   * none).
   */
  record Stat(long size, Optional<String> sha256, Instant modified) {}

  /** The key's length and recorded checksum; empty when the key is absent. */
  Optional<Stat> stat(String key) throws IOException;

  /**
   * Stores the whole file under key, replacing any blob there, only if its bytes hash to {@code
   * sha256} (lowercase hex); the store records the checksum for {@link #stat}.
   *
   * @throws ChecksumMismatchException when the bytes read or received are not those; nothing is
   *     stored
   */
  void put(String key, Path file, String sha256) throws IOException;

  /** The bytes of an upload are not the ones its checksum names (changed or damaged on the way). */
  final class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(String message) {
      super(message);
    }
  }

  /** Stores the whole file under key, replacing any blob there. */
  void put(String key, Path file) throws IOException;

  /** Stores the whole file under key, or fails if key exists. */
  void create(String key, Path file) throws IOException;

  /** Reads a blob; the caller closes the stream. */
  InputStream open(String key) throws IOException;

  List<Blob> list(String prefix) throws IOException;

  void delete(String key) throws IOException;

  /** A small object's bytes and the version a {@link #compareAndSet} must name to replace them. */
  record Versioned(byte[] bytes, String version) {}

  /** Reads a small object with its version; empty when it is absent. */
  Optional<Versioned> read(String key) throws IOException;

  /**
   * Writes {@code bytes} under key only if the object there still has version {@code expected}, or,
   * when {@code expected} is empty, only if there is none. Returns the new version.
   *
   * @throws ConflictException when another writer got there first; read again and decide
   */
  String compareAndSet(String key, Optional<String> expected, byte[] bytes) throws IOException;

  /** A {@link #compareAndSet} lost to another writer: the object is not the version expected. */
  final class ConflictException extends IOException {
    public ConflictException(String message) {
      super(message);
    }
  }

  /** For messages: e.g. {@code s3://bucket/prefix} or a folder path. Never holds a secret. */
  String describe();

  @Override
  default void close() throws IOException {}

  /** Rejects keys that could escape the store's root. */
  static String checkKey(String key) {
    if (key.isEmpty()
        || key.startsWith("/")
        || key.endsWith("/")
        || key.contains("\\")
        || key.contains("//")
        || key.equals("..")
        || key.startsWith("../")
        || key.contains("/../")
        || key.endsWith("/..")) {
      throw new IllegalArgumentException(
          "blob key \"" + key + "\" is not a relative '/'-separated name, e.g. blobs/3fa2...");
    }
    return key;
  }
}
