package dev.ancla.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where snapshots live: a flat namespace of immutable blobs. Keys are relative, '/'-separated,
 * and never start with '/' or contain "..".
 *
 * <p>Contract, checked by {@code BlobStoreContract} on every implementation:
 *
 * <ul>
 *   <li>{@link #put} and {@link #create} are atomic: a reader sees all of a blob or nothing.
 *   <li>{@link #create} never replaces a blob: it fails with {@link
 *       java.nio.file.FileAlreadyExistsException} if the key exists (manifests are never
 *       overwritten).
 *   <li>{@link #open} of an absent key fails with {@link java.nio.file.NoSuchFileException};
 *       {@link #delete} of an absent key succeeds (deletes are idempotent, as in S3).
 *   <li>{@link #list} returns every blob whose key starts with the prefix, sorted by key.
 *   <li>Failures to reach the store are {@link IOException}s whose message names the store and the
 *       key, never a credential.
 * </ul>
 */
public interface BlobStore extends Closeable {

  /** One stored blob. {@code modified} is when it was last written (used for the GC grace). */
  record Blob(String key, long size, Instant modified) {}

  boolean exists(String key) throws IOException;

  /** Stores the whole file under key, replacing any blob there. */
  void put(String key, Path file) throws IOException;

  /** Stores the whole file under key, or fails if key exists. */
  void create(String key, Path file) throws IOException;

  /** Reads a blob; the caller closes the stream. */
  InputStream open(String key) throws IOException;

  List<Blob> list(String prefix) throws IOException;

  void delete(String key) throws IOException;

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
