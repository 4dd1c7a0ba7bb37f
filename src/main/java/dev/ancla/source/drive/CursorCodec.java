package dev.ancla.source.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ancla.source.CursorExpiredException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The Drive cursor and the {@link FolderMap} kept beside it.
 *
 * <p>The cursor ({@code gd2:VERSION:PAGE_TOKEN}, tens of bytes) goes into the commit data; the
 * folder map, gzip-compressed JSON in URL-safe base64 (about 45 bytes a folder), is the source's
 * state in the index ({@code ChunkIndex.putState}), written only when it changed and committed with
 * the cursor. VERSION is a digest of the map, so a cursor never runs with a map that is not its
 * own: a missing or different map is an expired cursor (a full listing), never a wrong path.
 *
 * <p>Cursors written before ({@code gd1:}) carry the token and the map themselves; they are still
 * read, and the next commit stores the {@code gd2} form.
 */
final class CursorCodec {
  private static final String LEGACY = "gd1:";
  private static final String TAG = "gd2:";
  private static final ObjectMapper JSON = new ObjectMapper();

  record State(String pageToken, FolderMap map) {}

  /** What to store: the cursor for the commit data, the folder map for the index. */
  record Encoded(String cursor, String folders) {}

  private CursorCodec() {}

  static Encoded encode(State state) {
    String folders = gzipBase64(mapJson(state.map()));
    return new Encoded(TAG + version(folders) + ":" + state.pageToken(), folders);
  }

  /**
   * Reads a cursor and, for a {@code gd2} cursor, the folder map stored beside it. Throws {@link
   * CursorExpiredException} for a cursor this source did not write, or a map that is missing or is
   * not the cursor's.
   */
  static State decode(String cursor, Optional<String> folders, String rootId, String describe)
      throws CursorExpiredException {
    if (cursor.startsWith(LEGACY)) {
      JsonNode root = gunzip(cursor.substring(LEGACY.length()), describe);
      return new State(root.path("token").asText(), map(root, rootId, describe));
    }
    if (!cursor.startsWith(TAG)) {
      throw new CursorExpiredException(describe + ": the stored cursor is not a Drive cursor");
    }
    int colon = cursor.indexOf(':', TAG.length());
    if (colon < 0) {
      throw new CursorExpiredException(describe + ": the stored cursor cannot be read");
    }
    String version = cursor.substring(TAG.length(), colon);
    if (folders.isEmpty() || !version.equals(version(folders.get()))) {
      throw new CursorExpiredException(
          describe
              + ": the folder map stored beside the cursor is "
              + (folders.isEmpty() ? "missing" : "not the cursor's"));
    }
    return new State(
        cursor.substring(colon + 1), map(gunzip(folders.get(), describe), rootId, describe));
  }

  /** Sorted, so an unchanged map encodes to the same bytes and needs no new write. */
  private static ObjectNode mapJson(FolderMap map) {
    ObjectNode root = JSON.createObjectNode();
    root.put("root", map.rootId);
    ObjectNode folders = root.putObject("folders");
    new TreeMap<>(map.folders)
        .forEach((id, f) -> folders.putArray(id).add(f.name()).add(f.parent()));
    putAll(root.putObject("mounts"), map.mounts);
    putAll(root.putObject("links"), map.links);
    putAll(root.putObject("shortcuts"), map.shortcuts);
    return root;
  }

  private static FolderMap map(JsonNode root, String rootId, String describe)
      throws CursorExpiredException {
    if (root == null || !rootId.equals(root.path("root").asText())) {
      throw new CursorExpiredException(
          describe + ": the stored cursor belongs to another root (the configuration changed)");
    }
    var folders = new HashMap<String, FolderMap.Folder>();
    root.path("folders")
        .properties()
        .forEach(
            e ->
                folders.put(
                    e.getKey(),
                    new FolderMap.Folder(
                        e.getValue().path(0).asText(), e.getValue().path(1).asText())));
    var map =
        new FolderMap(
            rootId,
            folders,
            strings(root.path("mounts")),
            strings(root.path("links")),
            strings(root.path("shortcuts")));
    map.mounts.put(rootId, "");
    return map;
  }

  private static String gzipBase64(JsonNode json) {
    var bytes = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(bytes)) {
      JSON.writeValue(gzip, json);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  private static JsonNode gunzip(String base64, String describe) throws CursorExpiredException {
    try (var in =
        new GZIPInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(base64)))) {
      return JSON.readTree(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new CursorExpiredException(describe + ": the stored cursor cannot be read", e);
    }
  }

  /** 64 bits of the map's SHA-256: enough to tell one map from another. */
  static String version(String folders) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(folders.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void putAll(ObjectNode node, Map<String, String> values) {
    new TreeMap<>(values).forEach(node::put);
  }

  private static Map<String, String> strings(JsonNode node) {
    var map = new HashMap<String, String>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
