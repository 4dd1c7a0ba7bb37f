package dev.ancla.source;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One item as a source lists it.
 *
 * @param id stable identity inside the source: relative path (folder), key (S3), file id (Drive)
 * @param path display path inside the source, '/'-separated (filters, citations); may change (a
 *     rename) while id stays
 * @param version opaque cheap version: equal to the stored one means unchanged, nothing fetched
 *     (folder: size+mtime; S3: ETag+size; Drive: modifiedTime/version)
 * @param size bytes, or -1 when unknown (Drive native docs before export)
 * @param mediaType MIME type when the backend knows it
 * @param contentHint a content fingerprint the backend gives for free (Drive md5Checksum); when it
 *     equals the stored one the content is unchanged even if version moved: no fetch, no embed
 * @param link where a citation points when it is outside Ancla (Drive webViewLink); empty means
 *     Ancla serves the original through /api/files
 */
public record SourceItem(
    String id,
    String path,
    String version,
    long size,
    Optional<String> mediaType,
    Optional<String> contentHint,
    Optional<URI> link) {

  public SourceItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(contentHint, "contentHint");
    Objects.requireNonNull(link, "link");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a source item needs a non-empty id (path: " + path + ")");
    }
  }

  /** An item with only identity, display path, version and size known. */
  public static SourceItem of(String id, String path, String version, long size) {
    return new SourceItem(
        id, path, version, size, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The file type used for filters: the lowercase extension of the display path, or "". */
  public String extension() {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
