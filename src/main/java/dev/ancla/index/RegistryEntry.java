package dev.ancla.index;

import java.net.URI;
import java.util.Optional;

/**
 * What the index knows about one item of a source. Keyed by (source, id): a rename changes {@code
 * path} and keeps the entry.
 *
 * @param source source id
 * @param id the item's stable id inside its source (a folder's relative path, an S3 key, a Drive
 *     file id)
 * @param path display path inside the source, '/'-separated (filters, citations)
 * @param version the source's opaque version when indexed (a folder's {@code size:mtime})
 * @param size bytes when indexed, or -1 when the source did not say
 * @param contentHint the source's own content fingerprint when indexed (Drive's md5Checksum)
 * @param link where a citation points when it is outside Ancla (Drive's webViewLink); empty when
 *     Ancla serves the original through /api/files
 * @param contentHash SHA-256 of the item's bytes, hex
 * @param status {@link Status#OK} with its chunks, {@link Status#FAILED} with {@code error}, or
 *     {@link Status#SKIPPED} (not a document: an image, an archive) with the reason in {@code
 *     error}
 * @param error why the file failed, e.g. "encrypted: the PDF is password-protected"
 * @param chunks number of chunks stored
 * @param mediaType detected type, e.g. application/pdf
 * @param title document title or ""
 * @param truncated true when text was cut at the character limit
 * @param parseMillis time spent fetching, parsing and chunking
 * @param embedMillis time spent embedding (0 when every vector was reused)
 * @param indexedAtMillis when it was written
 */
public record RegistryEntry(
    String source,
    String id,
    String path,
    String version,
    long size,
    Optional<String> contentHint,
    Optional<URI> link,
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

  /**
   * The version a folder source gives a file, and the one an entry written before versions were
   * stored reads as: old entries came from folders, so they keep matching.
   */
  public static String folderVersion(long size, long modifiedMillis) {
    return size + ":" + modifiedMillis;
  }

  public String docKey() {
    return IndexSchema.docKey(source, id);
  }

  /** The same entry, written after {@code millis} of embedding. */
  public RegistryEntry withEmbedMillis(long millis) {
    return new RegistryEntry(
        source,
        id,
        path,
        version,
        size,
        contentHint,
        link,
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
        id,
        path,
        version,
        size,
        contentHint,
        link,
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
        id,
        path,
        version,
        size,
        contentHint,
        link,
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

  /**
   * The same content as listed anew: a new version (a touch, a sharing change), display path (a
   * rename) or link, with the bytes, chunks and vectors unchanged.
   */
  public RegistryEntry asListed(
      String newPath,
      String newVersion,
      long newSize,
      Optional<String> newContentHint,
      Optional<URI> newLink) {
    return new RegistryEntry(
        source,
        id,
        newPath,
        newVersion,
        newSize,
        newContentHint,
        newLink,
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
