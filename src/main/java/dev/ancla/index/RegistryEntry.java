package dev.ancla.index;

import java.util.Optional;

/**
 * What the index knows about one source file.
 *
 * @param source source id
 * @param path path relative to the source
 * @param size bytes when indexed
 * @param modifiedMillis modification time when indexed
 * @param contentHash SHA-256 of the file's bytes, hex
 * @param status {@link Status#OK} with its chunks, {@link Status#FAILED} with {@code error}, or
 *     {@link Status#SKIPPED} (not a document: an image, an archive) with the reason in {@code
 *     error}
 * @param error why the file failed, e.g. "encrypted: the PDF is password-protected"
 * @param chunks number of chunks stored
 * @param mediaType detected type, e.g. application/pdf
 * @param title document title or ""
 * @param truncated true when text was cut at the character limit
 * @param parseMillis time spent parsing and chunking
 * @param embedMillis time spent embedding (0 when every vector was reused)
 * @param indexedAtMillis when it was written
 */
public record RegistryEntry(
    String source,
    String path,
    long size,
    long modifiedMillis,
    String contentHash,
    Status status,
    Optional<String> error,
    int chunks,
    String mediaType,
    String title,
    boolean truncated,
    long parseMillis,
    long embedMillis,
    long indexedAtMillis) {

  public enum Status {
    OK,
    FAILED,
    SKIPPED
  }

  public String docKey() {
    return IndexSchema.docKey(source, path);
  }

  /** The same entry, written after {@code millis} of embedding. */
  public RegistryEntry withEmbedMillis(long millis) {
    return new RegistryEntry(
        source,
        path,
        size,
        modifiedMillis,
        contentHash,
        status,
        error,
        chunks,
        mediaType,
        title,
        truncated,
        parseMillis,
        millis,
        indexedAtMillis);
  }

  /** The same file, indexed as OK with {@code chunks} chunks of a parsed document. */
  public RegistryEntry indexed(int chunkCount, String type, String docTitle, boolean cut) {
    return new RegistryEntry(
        source,
        path,
        size,
        modifiedMillis,
        contentHash,
        Status.OK,
        Optional.empty(),
        chunkCount,
        type,
        docTitle,
        cut,
        parseMillis,
        embedMillis,
        indexedAtMillis);
  }

  /** The same file, recorded as failed (or skipped) for {@code reason}, without chunks. */
  public RegistryEntry withoutChunks(Status newStatus, String reason) {
    return new RegistryEntry(
        source,
        path,
        size,
        modifiedMillis,
        contentHash,
        newStatus,
        Optional.of(reason),
        0,
        mediaType,
        title,
        truncated,
        parseMillis,
        0,
        indexedAtMillis);
  }

  /** The same entry with a new file version, e.g. after a touch that did not change the bytes. */
  public RegistryEntry withVersion(long newSize, long newModifiedMillis) {
    return new RegistryEntry(
        source,
        path,
        newSize,
        newModifiedMillis,
        contentHash,
        status,
        error,
        chunks,
        mediaType,
        title,
        truncated,
        parseMillis,
        embedMillis,
        indexedAtMillis);
  }
}
