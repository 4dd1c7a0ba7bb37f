package dev.ancla.source.drive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ancla.source.CursorExpiredException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The Drive cursor: the changes page token and the {@link FolderMap}, as gzip-compressed JSON in
 * URL-safe base64 after a {@code gd1:} tag. It is stored in the commit's user data, so it grows
 * with the number of folders (about 40 bytes each compressed), never with the number of files.
 */
final class CursorCodec {
  private static final String TAG = "gd1:";
  private static final ObjectMapper JSON = new ObjectMapper();

  record State(String pageToken, FolderMap map) {}

  private CursorCodec() {}

  static String encode(State state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("token", state.pageToken());
    root.put("root", state.map().rootId);
    ObjectNode folders = root.putObject("folders");
    state.map().folders.forEach((id, f) -> folders.putArray(id).add(f.name()).add(f.parent()));
    putAll(root.putObject("mounts"), state.map().mounts);
    putAll(root.putObject("links"), state.map().links);
    putAll(root.putObject("shortcuts"), state.map().shortcuts);
    var bytes = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(bytes)) {
      JSON.writeValue(gzip, root);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return TAG + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /** Throws {@link CursorExpiredException} for a cursor this source did not write. */
  static State decode(String cursor, String rootId, String describe) throws CursorExpiredException {
    if (!cursor.startsWith(TAG)) {
      throw new CursorExpiredException(describe + ": the stored cursor is not a Drive cursor");
    }
    JsonNode root;
    try (var in =
        new GZIPInputStream(
            new ByteArrayInputStream(
                Base64.getUrlDecoder().decode(cursor.substring(TAG.length()))))) {
      root = JSON.readTree(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new CursorExpiredException(describe + ": the stored cursor cannot be read", e);
    }
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
    return new State(root.path("token").asText(), map);
  }

  private static void putAll(ObjectNode node, Map<String, String> values) {
    values.forEach(node::put);
  }

  private static Map<String, String> strings(JsonNode node) {
    var map = new HashMap<String, String>();
    node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
