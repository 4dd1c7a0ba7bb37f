package dev.ancla.source.drive;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ancla.source.CursorExpiredException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The Drive cursor: round trip, damaged cursors, and its size per folder (quoted in
 * docs/BENCHMARKS.md section 9).
 */
class CursorCodecTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /** A Drive-like id: 33 random characters of the URL-safe alphabet, as real folder ids are. */
  private static String driveId(SplittableRandom random) {
    var id = new StringBuilder("1");
    for (int i = 1; i < 33; i++) {
      id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  /** {@code n} folders in a tree under the root, ten to a parent, with Spanish names. */
  private static FolderMap tree(String rootId, int n) {
    var random = new SplittableRandom(7);
    var map = new FolderMap(rootId);
    var ids = new ArrayList<String>();
    String[] names = {"Contratos", "Facturas", "Actas", "Proyectos", "Clientes", "Informes"};
    for (int i = 0; i < n; i++) {
      String id = driveId(random);
      String parent = i < 10 ? rootId : ids.get(i / 10 - 1);
      map.folders.put(id, new FolderMap.Folder(names[i % names.length] + " " + (2000 + i), parent));
      ids.add(id);
    }
    map.shortcuts.put(driveId(random), ids.get(5));
    map.mounts.put(ids.get(5), "Atajos/Proyectos");
    return map;
  }

  @Test
  void aCursorDecodesToTheSameTokenAndFolders() throws Exception {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 250);
    String cursor = CursorCodec.encode(new CursorCodec.State("4711", map));

    CursorCodec.State back = CursorCodec.decode(cursor, rootId, "gdrive:" + rootId);
    assertEquals("4711", back.pageToken());
    assertEquals(map.folders, back.map().folders);
    assertEquals(map.shortcuts, back.map().shortcuts);
    assertEquals(map.mounts, back.map().mounts);
    String some = map.folders.keySet().stream().sorted().findFirst().orElseThrow();
    assertEquals(map.pathOf(some), back.map().pathOf(some));
  }

  @Test
  void aDamagedCursorIsExpiredNotACrash() {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    assertThrows(
        CursorExpiredException.class, () -> CursorCodec.decode("gd1:!!!", rootId, "gdrive:x"));
    assertThrows(
        CursorExpiredException.class, () -> CursorCodec.decode("s3:abc", rootId, "gdrive:x"));
    String other = CursorCodec.encode(new CursorCodec.State("1", tree("1OtherRoot", 30)));
    assertThrows(CursorExpiredException.class, () -> CursorCodec.decode(other, rootId, "x"));
  }

  /**
   * Size per 1,000 folders with Drive-like ids (33 random characters). gzip already shares the
   * repeated parent ids, so what is left is about one id's worth of base64 per folder: a column
   * layout with parents as indexes measured only 6.5% smaller (41.7 KB against 44.6 KB).
   */
  @Test
  void aThousandFoldersTakeUnder48KilobytesAndFilesNothing() throws Exception {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 1000);
    int size = CursorCodec.encode(new CursorCodec.State("123456", map)).length();
    System.out.printf("cursor size per 1,000 folders: %,d bytes%n", size);
    assertTrue(size < 48_000, "1,000 folders: " + size + " bytes");
    assertEquals(size, gd1("123456", map).length(), "the codec writes the gd1 form");
  }

  /** The gd1 form, written here independently of CursorCodec. */
  private static String gd1(String token, FolderMap map) throws IOException {
    var json = new ObjectMapper();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("token", token);
    root.put("root", map.rootId);
    var folders = new HashMap<String, List<String>>();
    map.folders.forEach((id, f) -> folders.put(id, List.of(f.name(), f.parent())));
    root.put("folders", folders);
    root.put("mounts", map.mounts);
    root.put("links", map.links);
    root.put("shortcuts", map.shortcuts);
    var bytes = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(bytes)) {
      json.writeValue(gzip, root);
    }
    return "gd1:" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }
}
