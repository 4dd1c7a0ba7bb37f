package dev.ancla.source.drive;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.config.Config;
import dev.ancla.index.IndexSchema;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.query.SearchHit;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SyncPlanner;
import dev.ancla.sync.SyncReport;
import dev.ancla.testing.TestAncla;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Drive source synced end to end into a real index with the real parser and model: exports are
 * parsed, changes from the feed reach the index in the next sync, a rename embeds nothing, and a
 * source that cannot be read keeps every document.
 */
class DriveSyncTest {
  @TempDir Path dir;
  private FakeDrive drive;
  private FakeDrive.Node root;

  @BeforeEach
  void start() throws IOException {
    drive = new FakeDrive();
    root = drive.folder("Equipo", null);
    drive.share(root.id);
  }

  @AfterEach
  void stop() {
    drive.close();
  }

  private Config config(String key) {
    var env = TestAncla.env(dir.resolve("data"), dir);
    env.put("ANCLA_SOURCES", "https://drive.google.com/drive/folders/" + root.id + "?usp=sharing");
    env.put("ANCLA_DRIVE_CREDENTIALS", key);
    env.put("ANCLA_DRIVE_API_URL", drive.url().toString());
    env.put("ANCLA_DRIVE_REQUESTS_PER_SECOND", "1000");
    return TestAncla.config(env);
  }

  private SyncReport sync() throws IOException {
    return sync(drive.serviceAccountJson());
  }

  private SyncReport sync(String key) throws IOException {
    Config config = config(key);
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      return ancla.sync().sync(new ProgressTracker(System::nanoTime));
    }
  }

  private Map<String, RegistryEntry> registry() throws IOException {
    Config config = config(drive.serviceAccountJson());
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      var byPath = new TreeMap<String, RegistryEntry>();
      ancla.store().registryEntries(e -> true).forEach(e -> byPath.put(e.path(), e));
      return byPath;
    }
  }

  private String firstHitPath(String query) throws IOException {
    Config config = config(drive.serviceAccountJson());
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      return ancla.retriever().search(query, 3).getFirst().path();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDriveFolderIsIndexedAndFollowedThroughItsChangeFeed() throws Exception {
    var manuals = drive.folder("Manuales", root.id);
    drive.nativeFile(
        "Vacaciones",
        manuals.id,
        DriveItems.DOC,
        DriveItems.MARKDOWN,
        utf8("# Vacaciones\n\nCada empleado tiene veintidós días hábiles de vacaciones al año.\n"));
    drive.nativeFile("Presupuesto", root.id, DriveItems.SHEET, DriveItems.XLSX, budget());
    var faro =
        drive.file(
            "faro.txt",
            root.id,
            "text/plain",
            utf8("El faro de Finisterre guía a los barcos en la Costa da Morte desde 1853."));
    var teide =
        drive.file(
            "teide.txt",
            manuals.id,
            "text/plain",
            utf8("El Teide es un volcán de Tenerife, el pico más alto de España."));

    SyncReport first = sync();
    assertEquals(4, first.added(), first.toString());
    assertEquals(0, first.failed(), first.toString());
    Map<String, RegistryEntry> entries = registry();
    assertEquals(
        java.util.Set.of("Manuales/Vacaciones", "Presupuesto", "faro.txt", "Manuales/teide.txt"),
        entries.keySet());
    assertEquals(
        "https://drive.google.com/file/d/" + faro.id + "/view",
        entries.get("faro.txt").link().orElseThrow().toString());
    assertEquals("Presupuesto", firstHitPath("alquiler de la oficina en el segundo trimestre"));
    assertEquals("Manuales/Vacaciones", firstHitPath("días de vacaciones al año"));

    drive.clearRequestLog();
    SyncReport idle = sync();
    assertEquals(0, idle.chunksEmbedded());
    assertEquals(
        1, drive.requestLog().size(), "an idle sync is one changes.list: " + drive.requestLog());

    drive.rename(faro, "faro de Finisterre.txt");
    drive.trash(teide);
    SyncReport changes = sync();
    assertEquals(0, changes.chunksEmbedded(), "a rename and a trash embed nothing: " + changes);
    entries = registry();
    assertTrue(entries.containsKey("faro de Finisterre.txt"), entries.keySet().toString());
    assertFalse(entries.containsKey("faro.txt"));
    assertFalse(entries.containsKey("Manuales/teide.txt"), "trashed leaves in the same sync");

    drive.move(manuals, null); // moved out of the shared folder: the subtree leaves
    sync();
    assertEquals(java.util.Set.of("Presupuesto", "faro de Finisterre.txt"), registry().keySet());
  }

  /**
   * An index written before the folder map moved out of the cursor holds a {@code gd1} cursor with
   * the map inside and no map beside it: the next sync still follows the change feed from it, and
   * its commit stores the small cursor with the map beside it.
   */
  @Test
  void anOlderIndexWithTheFolderMapInsideTheCursorIsFollowedAndMigrated() throws Exception {
    var manuals = drive.folder("Manuales", root.id);
    drive.file(
        "faro.txt",
        manuals.id,
        "text/plain",
        utf8("El faro de Finisterre guía a los barcos en la Costa da Morte desde 1853."));
    sync();
    Path index = dir.resolve("data").resolve("index");
    var committed = committedMap(index);
    assertEquals("Manuales", committed.state().map().folders.get(manuals.id).name());
    // what an older version left: the gd1 cursor, no state document
    try (var fs = FSDirectory.open(index);
        var writer =
            new IndexWriter(
                fs, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      writer.deleteDocuments(
          new Term(IndexSchema.ID, "s:" + SyncPlanner.stateKey(committed.sourceId())));
      var data = new HashMap<String, String>();
      writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.put(
          SyncPlanner.cursorKey(committed.sourceId()),
          CursorCodecTest.gd1(committed.state().pageToken(), committed.state().map()));
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }
    try (var store = IndexStore.openReadOnly(index)) {
      assertEquals(Optional.empty(), store.state(SyncPlanner.stateKey(committed.sourceId())));
    }

    drive.rename(manuals, "Guías");
    var nuevos = drive.folder("Nuevos", root.id);
    drive.file("teide.txt", nuevos.id, "text/plain", utf8("El Teide es un volcán de Tenerife."));
    SyncReport changes = sync();
    assertFalse(changes.sources().getFirst().fullListing(), "followed from the gd1 cursor");
    assertEquals(java.util.Set.of("Guías/faro.txt", "Nuevos/teide.txt"), registry().keySet());
    var migrated = committedMap(index);
    assertEquals("Guías", migrated.state().map().folders.get(manuals.id).name());
    assertEquals("Nuevos", migrated.state().map().folders.get(nuevos.id).name());
  }

  private record Committed(String sourceId, String cursor, CursorCodec.State state) {}

  /** The committed gd2 cursor decoded with the folder map committed beside it. */
  private static Committed committedMap(Path index) throws Exception {
    try (var store = IndexStore.openReadOnly(index)) {
      Map<String, String> data = store.lastCommit().orElseThrow().raw();
      String key =
          data.keySet().stream()
              .filter(k -> k.startsWith("source.") && k.endsWith(".cursor"))
              .findFirst()
              .orElseThrow();
      String sourceId = key.substring("source.".length(), key.length() - ".cursor".length());
      String cursor = data.get(key);
      assertTrue(cursor.startsWith("gd2:") && cursor.length() < 100, cursor);
      String rootId = data.get("source." + sourceId + ".root").replaceFirst("^gdrive:", "");
      return new Committed(
          sourceId,
          cursor,
          CursorCodec.decode(
              cursor, store.state(SyncPlanner.stateKey(sourceId)), rootId, "gdrive:" + rootId));
    }
  }

  @Test
  void twoFilesOfOneNameInOneFolderStayTwoResultsWithTheirOwnLinks() throws Exception {
    var first =
        drive.file(
            "acta.txt",
            root.id,
            "text/plain",
            utf8("Acta de la reunión de marzo: el comité aprobó el presupuesto de formación."));
    var second =
        drive.file(
            "acta.txt",
            root.id,
            "text/plain",
            utf8("Acta del consejo de octubre: se aprobó el presupuesto de la nueva oficina."));
    SyncReport report = sync();
    assertEquals(2, report.added(), report.toString());

    Config config = config(drive.serviceAccountJson());
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      // one result per document: two documents, though they share source and path
      var hits =
          ancla
              .retriever()
              .search(
                  new dev.ancla.query.SearchRequest(
                      "acta presupuesto aprobado",
                      5,
                      dev.ancla.query.Mode.HYBRID,
                      dev.ancla.query.Filter.NONE,
                      1));
      assertEquals(2, hits.size(), hits.toString());
      assertEquals(
          java.util.Set.of(
              "https://drive.google.com/file/d/" + first.id + "/view",
              "https://drive.google.com/file/d/" + second.id + "/view"),
          java.util.Set.of(hits.get(0).link(), hits.get(1).link()));
      assertEquals(List.of("acta.txt", "acta.txt"), hits.stream().map(SearchHit::path).toList());
      assertEquals(
          java.util.Set.of(first.id, second.id),
          java.util.Set.of(hits.get(0).itemId(), hits.get(1).itemId()));
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> sourceStatus() throws IOException {
    Config config = config(drive.serviceAccountJson());
    try (Ancla ancla = Ancla.openForWriting(config, TestAncla.parts(config))) {
      var sources = (List<Map<String, Object>>) dev.ancla.StatusFields.of(ancla).get("sources");
      assertEquals(1, sources.size(), sources.toString());
      return sources.getFirst();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void whatTheListingLeftOutIsInTheSourceStatusWithWhyAndStaysThroughChangeFeedSyncs()
      throws Exception {
    var sub = drive.folder("Proyectos", root.id);
    drive.file("faro.txt", sub.id, "text/plain", utf8("El faro de Finisterre guía a los barcos."));
    drive.shortcut("bucle", sub.id, root); // a loop back to the root
    drive.danglingShortcut("roto", sub.id);
    assertEquals(1, sync().added());

    Map<String, Object> status = sourceStatus();
    assertEquals(2, status.get("listingSkipped"), status.toString());
    var reasons = (List<String>) status.get("listingSkips");
    assertTrue(reasons.stream().anyMatch(r -> r.contains("bucle")), reasons.toString());
    assertTrue(reasons.stream().anyMatch(r -> r.contains("roto")), reasons.toString());

    drive.file("pan.txt", root.id, "text/plain", utf8("El pan de masa madre necesita tiempo."));
    SyncReport incremental = sync(); // a change-feed sync (a new process) keeps what was recorded
    assertFalse(incremental.sources().getFirst().fullListing(), incremental.toString());
    assertEquals(2, sourceStatus().get("listingSkipped"));

    drive.expireTokens(); // the next complete listing replaces them
    drive.delete(drive.childNamed(sub.id, "roto"));
    SyncReport full = sync();
    assertTrue(full.sources().getFirst().fullListing(), full.toString());
    status = sourceStatus();
    assertEquals(1, status.get("listingSkipped"), status.toString());
    assertEquals(1, ((List<String>) status.get("listingSkips")).size());
  }

  @Test
  void aKeyGoogleRefusesFailsTheSourceAndKeepsEveryDocument() throws Exception {
    drive.file("faro.txt", root.id, "text/plain", utf8("El faro de Finisterre guía a los barcos."));
    drive.file("pan.txt", root.id, "text/plain", utf8("Sourdough bread needs a mature starter."));
    assertEquals(2, sync().added());

    SyncReport refused = sync(drive.untrustedServiceAccountJson());
    assertEquals(1, refused.failedSources().size(), refused.toString());
    String error = refused.failedSources().getFirst().error().orElseThrow();
    assertTrue(error.contains("ANCLA_DRIVE_CREDENTIALS"), error);
    assertEquals(2, registry().size(), "nothing deleted");

    drive.expireTokens(); // and a rejected cursor is a full reconcile, not a loss
    drive.file("nuevo.txt", root.id, "text/plain", utf8("Un documento nuevo."));
    SyncReport reconciled = sync();
    assertEquals(1, reconciled.added(), reconciled.toString());
    assertEquals(3, registry().size());
  }

  private static byte[] budget() throws IOException {
    try (var book = new XSSFWorkbook();
        var out = new ByteArrayOutputStream()) {
      String[][] rows = {
        {"Ingresos", "ventas de licencias en el primer trimestre"},
        {"Gastos", "alquiler de la oficina en el segundo trimestre"},
        {"Resumen", "beneficio neto del año"}
      };
      for (String[] tab : rows) {
        var sheet = book.createSheet(tab[0]);
        sheet.createRow(0).createCell(0).setCellValue(tab[1]);
      }
      book.write(out);
      return out.toByteArray();
    }
  }
}
