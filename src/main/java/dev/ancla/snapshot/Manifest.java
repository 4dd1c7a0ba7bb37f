package dev.ancla.snapshot;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one snapshot holds: one Lucene commit's files (by content hash), its commit data and counts.
 * Complete on its own (no chains), written last, never overwritten: a manifest exists only if all
 * its blobs do.
 *
 * @param id {@code <UTC time>-<generation>}, e.g. {@code 20261125T101500123Z-7}; sorts by time
 * @param time when the snapshot was taken, ISO-8601 UTC
 * @param commitData the commit's user data as Lucene stored it
 */
public record Manifest(
    int format,
    String id,
    String time,
    long generation,
    String anclaVersion,
    int schemaVersion,
    String modelName,
    String modelFingerprint,
    long documents,
    long chunks,
    long failed,
    Map<String, String> commitData,
    List<FileEntry> files) {

  public static final int FORMAT = 1;
  static final String PREFIX = "snapshots/";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer versions may add fields
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern ID = Pattern.compile("\\d{8}T\\d{9}Z-\\d+");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Newest first: by time, then by generation. */
  public static final Comparator<String> NEWEST_FIRST =
      Comparator.comparing((String id) -> id.substring(0, id.indexOf('-')))
          .thenComparingLong(id -> Long.parseLong(id.substring(id.indexOf('-') + 1)))
          .reversed();

  /** One file of the commit, stored as {@code blobs/<sha256>}. */
  /**
   * One file of the commit, stored as {@code blobs/<sha256>}.
   *
   * @param crc32 the CRC32 in the file's Lucene footer, or null in manifests written before
   *     2026-12-08: a restore that reads a footer with this CRC, valid for the bytes before it, and
   *     the manifest's length has the file's bytes short of a deliberate forgery (which whoever can
   *     write blobs can also put in the manifest), without computing the SHA-256 on its critical
   *     path
   */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  public record FileEntry(String name, long size, String sha256, Long crc32) {
    public FileEntry(String name, long size, String sha256) {
      this(name, size, sha256, null);
    }

    public String blobKey() {
      return "blobs/" + sha256;
    }

    /** The footer CRC32 the manifest records for this file, if it records one. */
    public java.util.Optional<Long> crc() {
      return java.util.Optional.ofNullable(crc32);
    }
  }

  public Manifest {
    commitData = Map.copyOf(commitData);
    files = List.copyOf(files);
  }

  static String newId(Instant time, long generation) {
    return ID_TIME.format(time) + "-" + generation;
  }

  public static String key(String id) {
    return PREFIX + id + ".json";
  }

  public String key() {
    return key(id);
  }

  /** Bytes of all files: what a restore downloads. */
  public long bytes() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }

  byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write manifest " + id, e);
    }
  }

  /**
   * Thrown when a manifest's bytes are not a valid manifest: a corruption, never a network error.
   */
  public static final class CorruptException extends IOException {
    CorruptException(String message) {
      super(message);
    }
  }

  /** Snapshot ids in the store, newest first. Keys that are not manifests are ignored. */
  public static List<String> ids(BlobStore store) throws IOException {
    return listing(store).ids();
  }

  /**
   * The key of the marker that says snapshot {@code id} failed verification: {@code
   * snapshots/<id>.bad}, holding the problems found, one a line. A marked snapshot is kept as
   * evidence, never counted as kept by retention, and tried last by restore.
   */
  public static String badKey(String id) {
    return PREFIX + id + ".bad";
  }

  /**
   * The snapshots in a store, from one LIST.
   *
   * @param ids every manifest, newest first
   * @param bad the ids with a {@link #badKey} marker (a marker whose manifest is gone included)
   */
  public record Listing(List<String> ids, java.util.Set<String> bad) {
    public Listing {
      ids = List.copyOf(ids);
      bad = java.util.Set.copyOf(bad);
    }

    /** The manifests not marked bad, newest first. */
    public List<String> unmarked() {
      return ids.stream().filter(id -> !bad.contains(id)).toList();
    }

    /** What restore tries, in order: unmarked ones newest first, then the marked ones. */
    public List<String> restoreOrder() {
      var order = new ArrayList<>(unmarked());
      ids.stream().filter(bad::contains).forEach(order::add);
      return order;
    }
  }

  public static Listing listing(BlobStore store) throws IOException {
    var ids = new ArrayList<String>();
    var bad = new HashSet<String>();
    for (BlobStore.Blob blob : store.list(PREFIX)) {
      String name = blob.key().substring(PREFIX.length());
      if (name.endsWith(".json") && ID.matcher(name.substring(0, name.length() - 5)).matches()) {
        ids.add(name.substring(0, name.length() - 5));
      } else if (name.endsWith(".bad")
          && ID.matcher(name.substring(0, name.length() - 4)).matches()) {
        bad.add(name.substring(0, name.length() - 4));
      }
    }
    ids.sort(NEWEST_FIRST);
    return new Listing(ids, bad);
  }

  /** Writes (or rewrites) snapshot {@code id}'s bad marker with the problems found. */
  public static void markBad(BlobStore store, String id, List<String> problems) throws IOException {
    java.nio.file.Path tmp = java.nio.file.Files.createTempFile("ancla-bad-", ".txt");
    try {
      java.nio.file.Files.writeString(
          tmp,
          "snapshot "
              + id
              + " failed verification at "
              + Instant.now()
              + ":\n"
              + String.join("\n", problems)
              + "\n");
      store.put(badKey(id), tmp);
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /** Reads and validates one manifest. */
  public static Manifest load(BlobStore store, String id) throws IOException {
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "snapshot id \""
              + id
              + "\" is not of the form <time>-<generation>, e.g. 20261125T101500123Z-7;"
              + " `ancla snapshot list` shows them");
    }
    try (InputStream in = store.open(key(id))) {
      return parse(id, in.readAllBytes());
    }
  }

  static Manifest parse(String id, byte[] bytes) throws IOException {
    Manifest m;
    try {
      m = JSON.readValue(bytes, Manifest.class);
    } catch (IOException | RuntimeException e) {
      throw new CorruptException(
          "manifest " + id + " is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (m.format() > FORMAT) {
      // not corrupt: a newer Ancla wrote it. Never treat it as garbage (retention stops on this).
      throw new IOException(
          "manifest "
              + id
              + " has format "
              + m.format()
              + ", written by a newer Ancla; this one reads format "
              + FORMAT);
    }
    String problem = m.problem(id);
    if (problem != null) {
      throw new CorruptException("manifest " + id + " is invalid: " + problem);
    }
    return m;
  }

  /** The first thing wrong with this manifest, or null. */
  private String problem(String expectedId) {
    if (format != FORMAT) {
      return "format " + format + "; this Ancla reads format " + FORMAT;
    }
    if (!expectedId.equals(id)) {
      return "it says it is " + id;
    }
    if (files == null || files.isEmpty() || commitData == null) {
      return "no files";
    }
    if (documents < 0 || chunks < 0 || failed < 0 || generation < 1) {
      return "negative counts or generation";
    }
    var names = new HashSet<String>();
    int segments = 0;
    for (FileEntry f : files) {
      if (f == null || f.name() == null || f.sha256() == null) {
        return "a file entry is incomplete";
      }
      if (f.name().isEmpty()
          || f.name().contains("/")
          || f.name().contains("\\")
          || f.name().startsWith(".")) {
        return "file name \"" + f.name() + "\" is not a plain Lucene file name";
      }
      if (!SHA256.matcher(f.sha256()).matches() || f.size() < 0 || !names.add(f.name())) {
        return "file " + f.name() + " has a bad checksum, size, or a duplicate name";
      }
      if (f.name().startsWith("segments_")) {
        segments++;
      }
    }
    return segments == 1 ? null : segments + " segments_N files instead of 1";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
