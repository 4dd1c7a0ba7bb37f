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
import java.util.Optional;
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
  void aCursorAndItsFolderMapDecodeToTheSameTokenAndFolders() throws Exception {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 250);
    CursorCodec.Encoded encoded = CursorCodec.encode(new CursorCodec.State("4711", map));

    CursorCodec.State back =
        CursorCodec.decode(
            encoded.cursor(), Optional.of(encoded.folders()), rootId, "gdrive:" + rootId);
    assertSame(map, back.map(), back);
  }

  /** Indexes written before the map moved out of the cursor keep working: gd1 is still read. */
  @Test
  void anOldCursorWithTheMapInsideIsStillRead() throws Exception {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 250);
    String old = gd1("4711", map);

    CursorCodec.State back = CursorCodec.decode(old, Optional.empty(), rootId, "gdrive:x");
    assertSame(map, back.map(), back);
  }

  private static void assertSame(FolderMap map, FolderMap back, CursorCodec.State state) {
    assertEquals("4711", state.pageToken());
    assertEquals(map.folders, back.folders);
    assertEquals(map.shortcuts, back.shortcuts);
    assertEquals(map.mounts, back.mounts);
    String some = map.folders.keySet().stream().sorted().findFirst().orElseThrow();
    assertEquals(map.pathOf(some), back.pathOf(some));
  }

  @Test
  void anUnchangedMapEncodesToTheSameCursorWhateverItsHistory() {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 300);
    FolderMap rebuilt = new FolderMap(rootId);
    var ids = new ArrayList<>(map.folders.keySet());
    java.util.Collections.reverse(ids);
    ids.forEach(id -> rebuilt.folders.put(id, map.folders.get(id)));
    rebuilt.shortcuts.putAll(map.shortcuts);
    rebuilt.mounts.putAll(map.mounts);
    assertEquals(
        CursorCodec.encode(new CursorCodec.State("9", map)),
        CursorCodec.encode(new CursorCodec.State("9", rebuilt)));
  }

  @Test
  void aDamagedCursorOrAMapThatIsNotItsOwnIsExpiredNotACrash() {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    Optional<String> none = Optional.empty();
    assertThrows(
        CursorExpiredException.class,
        () -> CursorCodec.decode("gd1:!!!", none, rootId, "gdrive:x"));
    assertThrows(
        CursorExpiredException.class, () -> CursorCodec.decode("s3:abc", none, rootId, "gdrive:x"));
    assertThrows(
        CursorExpiredException.class, () -> CursorCodec.decode("gd2:abc", none, rootId, "x"));
    var other = CursorCodec.encode(new CursorCodec.State("1", tree("1OtherRoot", 30)));
    assertThrows(
        CursorExpiredException.class,
        () -> CursorCodec.decode(other.cursor(), Optional.of(other.folders()), rootId, "x"));
    var mine = CursorCodec.encode(new CursorCodec.State("1", tree(rootId, 30)));
    var changed = CursorCodec.encode(new CursorCodec.State("1", tree(rootId, 31)));
    assertThrows(
        CursorExpiredException.class,
        () -> CursorCodec.decode(mine.cursor(), none, rootId, "x"),
        "the map is missing");
    var e =
        assertThrows(
            CursorExpiredException.class,
            () -> CursorCodec.decode(mine.cursor(), Optional.of(changed.folders()), rootId, "x"),
            "another map than the cursor's");
    assertTrue(e.getMessage().contains("not the cursor's"), e.getMessage());
  }

  /**
   * Size per 1,000 folders with Drive-like ids (33 random characters), quoted in docs/BENCHMARKS.md
   * section 9. The map itself stays about one id's worth of base64 per folder (gzip already shares
   * the repeated parent ids; a column layout measured only 6.5% smaller), but it is now kept in the
   * index beside the cursor, so the commit data holds only the cursor.
   */
  @Test
  void aThousandFoldersLeaveTheCursorSmallAndTheMapUnder48Kilobytes() throws Exception {
    String rootId = "1RootFolderIdAbcdefghijklmnopqrst";
    FolderMap map = tree(rootId, 1000);
    String token = "123456";
    int before = gd1(token, map).length();
    CursorCodec.Encoded after = CursorCodec.encode(new CursorCodec.State(token, map));
    System.out.printf(
        "per 1,000 folders: gd1 cursor in the commit data %,d bytes; gd2 cursor %,d bytes,"
            + " folder map in the index %,d bytes%n",
        before, after.cursor().length(), after.folders().length());
    assertTrue(after.cursor().length() < 40, after.cursor());
    assertTrue(after.folders().length() < 48_000, "1,000 folders: " + after.folders().length());
  }

  /** The gd1 form older versions wrote, written here independently of CursorCodec. */
  static String gd1(String token, FolderMap map) throws IOException {
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
