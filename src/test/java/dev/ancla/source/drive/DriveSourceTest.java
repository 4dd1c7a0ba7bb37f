package dev.ancla.source.drive;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.bench.drive.FakeDrive;
import dev.ancla.source.CursorExpiredException;
import dev.ancla.source.Fetched;
import dev.ancla.source.Listing;
import dev.ancla.source.SourceException;
import dev.ancla.source.SourceItem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.tika.Tika;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drive scenarios with the real Google clients against the local Drive server. */
class DriveSourceTest {
  private final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
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

  private DriveSource source() throws SourceException {
    return DriveFixtures.source(drive, root.id, false, sleeps);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> paths(List<SourceItem> items) {
    var map = new TreeMap<String, String>();
    items.forEach(i -> map.put(i.path(), i.id()));
    return map;
  }

  private static List<SourceItem> full(DriveSource source) throws IOException {
    return assertInstanceOf(Listing.Full.class, source.list(Optional.empty())).items();
  }

  /** Applies listings as the sync does, and checks the result against a fresh full listing. */
  private static final class View {
    final Map<String, SourceItem> items = new TreeMap<>();
    Optional<String> cursor = Optional.empty();
    Optional<String> state = Optional.empty();
    Listing last;

    View sync(DriveSource source) throws IOException {
      last = source.list(cursor, state);
      switch (last) {
        case Listing.Full f -> {
          items.clear();
          f.items().forEach(i -> items.put(i.id(), i));
        }
        case Listing.Changes c -> {
          c.removedIds().forEach(items::remove);
          c.upserts().forEach(i -> items.put(i.id(), i));
        }
      }
      cursor = last.cursor();
      state = last.state();
      var fresh = new TreeMap<String, SourceItem>();
      full(source).forEach(i -> fresh.put(i.id(), i));
      assertEquals(fresh, items, "the followed view equals a fresh full listing");
      return this;
    }

    Set<String> paths() {
      return items.values().stream().map(SourceItem::path).collect(Collectors.toSet());
    }

    Listing.Changes changes() {
      return assertInstanceOf(Listing.Changes.class, last);
    }
  }

  @Test
  void nestedFoldersAreListedThroughShortPagesWithPathsVersionsHintsAndLinks() throws IOException {
    drive.pageSize(2);
    var a = drive.folder("Actas", root.id);
    var b = drive.folder("2026", a.id);
    var c = drive.folder("enero", b.id);
    for (int i = 0; i < 5; i++) {
      drive.file("acta-" + i + ".txt", c.id, "text/plain", utf8("acta " + i));
    }
    var pdf = drive.file("guía.pdf", root.id, "application/pdf", utf8("%PDF-1.4 fake"));
    var trashed = drive.file("old.txt", b.id, "text/plain", utf8("old"));
    drive.trash(trashed);
    drive.file("form", root.id, "application/vnd.google-apps.form", null);
    try (var source = source()) {
      source.check();
      List<SourceItem> items = full(source);
      assertEquals(6, items.size(), paths(items).toString());
      assertEquals(pdf.id, paths(items).get("guía.pdf"));
      assertTrue(paths(items).containsKey("Actas/2026/enero/acta-4.txt"));
      SourceItem guide =
          items.stream().filter(i -> i.id().equals(pdf.id)).findFirst().orElseThrow();
      assertEquals(Optional.of(FakeDrive.md5(utf8("%PDF-1.4 fake"))), guide.contentHint());
      assertEquals(Optional.of("application/pdf"), guide.mediaType());
      assertEquals(
          "https://drive.google.com/file/d/" + pdf.id + "/view",
          guide.link().orElseThrow().toString());
      assertFalse(guide.version().isEmpty());
    }
    assertTrue(
        drive.scopesSeen().stream()
            .allMatch(s -> s.equals("https://www.googleapis.com/auth/drive.readonly")),
        "read-only scope only: " + drive.scopesSeen());
  }

  @Test
  void aSharedDriveIsListedWithTheAllDrivesFlagsAndItsOwnChangeFeed() throws IOException {
    drive.pageSize(1);
    var shared = drive.sharedDrive("Comercial");
    drive.member(shared.id);
    var folder = drive.folder("Ofertas", shared.id);
    drive.file("oferta.txt", folder.id, "text/plain", utf8("oferta"));
    drive.file("precios.txt", shared.id, "text/plain", utf8("precios"));
    drive.file("elsewhere.txt", root.id, "text/plain", utf8("not in the drive"));
    try (var source = DriveFixtures.source(drive, shared.id, true, sleeps)) {
      source.check();
      var view = new View().sync(source);
      assertEquals(Set.of("Ofertas/oferta.txt", "precios.txt"), view.paths());
      drive.file("nueva.txt", folder.id, "text/plain", utf8("nueva"));
      drive.file("other.txt", root.id, "text/plain", utf8("another drive's change"));
      view.sync(source);
      assertEquals(Set.of("Ofertas/oferta.txt", "precios.txt", "Ofertas/nueva.txt"), view.paths());
      assertTrue(
          drive.requestLog().stream()
              .filter(r -> r.startsWith("GET /drive/v3/changes?"))
              .allMatch(r -> r.contains("driveId=" + shared.id)),
          "the shared drive's own feed");
    }
    try (var notMember = DriveFixtures.source(drive, "0AunknownDrive", true, sleeps)) {
      var e = assertThrows(SourceException.class, notMember::check);
      assertTrue(e.getMessage().contains("Manage members"), e.getMessage());
      assertTrue(e.getMessage().contains(FakeDrive.EMAIL), e.getMessage());
    }
  }

  @Test
  void docsSheetsAndSlidesAreExportedSoEveryTabAndSlideIsParsed() throws Exception {
    var doc =
        drive.nativeFile(
            "Manual",
            root.id,
            DriveItems.DOC,
            DriveItems.MARKDOWN,
            utf8("# Vacaciones\n\nVeintidós días hábiles.\n"));
    var sheet = drive.nativeFile("Presupuesto", root.id, DriveItems.SHEET, DriveItems.XLSX, xlsx());
    var slides = drive.nativeFile("Kickoff", root.id, DriveItems.SLIDES, DriveItems.PPTX, pptx());
    var tika = new Tika();
    try (var source = source()) {
      Map<String, SourceItem> byId = new TreeMap<>();
      full(source).forEach(i -> byId.put(i.id(), i));
      assertEquals(-1, byId.get(doc.id).size(), "native files have no size before export");
      assertEquals(
          Optional.empty(), byId.get(doc.id).contentHint(), "md5Checksum is for binaries only");
      try (Fetched md = source.fetch(byId.get(doc.id), 1 << 20)) {
        assertTrue(java.nio.file.Files.readString(md.file()).startsWith("# Vacaciones"));
      }
      try (Fetched xl = source.fetch(byId.get(sheet.id), 1 << 20)) {
        String text = tika.parseToString(xl.file());
        for (String tab : List.of("Ingresos", "Gastos", "Resumen")) {
          assertTrue(text.contains(tab), tab + " in " + text);
        }
        assertTrue(text.contains("alquiler") && text.contains("beneficio"), text);
      }
      try (Fetched ppt = source.fetch(byId.get(slides.id), 1 << 20)) {
        String text = tika.parseToString(ppt.file());
        assertTrue(text.contains("Objetivos 2026") && text.contains("Próximos pasos"), text);
      }
      assertEquals(0, drive.exportLinkDownloads());
    }
  }

  @Test
  void anExportOverDrivesLimitFallsBackToTheExportLink() throws IOException {
    var big =
        drive.nativeFile(
            "Informe anual",
            root.id,
            DriveItems.DOC,
            DriveItems.MARKDOWN,
            utf8("# Informe\n\nmuy largo"));
    big.exportTooBig = true;
    try (var source = source()) {
      SourceItem item = full(source).getFirst();
      try (Fetched fetched = source.fetch(item, 1 << 20)) {
        assertEquals("# Informe\n\nmuy largo", java.nio.file.Files.readString(fetched.file()));
      }
      assertEquals(1, drive.exportLinkDownloads());
    }
  }

  @Test
  void aFileThatCannotBeReadFailsAloneWithItsReason() throws IOException {
    var ok = drive.file("ok.txt", root.id, "text/plain", utf8("ok"));
    var bad = drive.file("bad.txt", root.id, "text/plain", utf8("bad"));
    try (var source = source()) {
      Map<String, SourceItem> byId = new TreeMap<>();
      full(source).forEach(i -> byId.put(i.id(), i));
      drive.delete(bad);
      var e = assertThrows(SourceException.class, () -> source.fetch(byId.get(bad.id), 1 << 20));
      assertTrue(
          e.getMessage().contains("bad.txt") && e.getMessage().contains("404"), e.getMessage());
      try (Fetched fetched = source.fetch(byId.get(ok.id), 1 << 20)) {
        assertEquals("ok", java.nio.file.Files.readString(fetched.file()));
      }
    }
  }

  @Test
  void shortcutsAreFollowedOnceAndLoopsAndDanglingOnesAreRecorded() throws IOException {
    var outside = drive.folder("Fuera", null); // not shared with the service account
    var linkedFile = drive.file("contrato.pdf", outside.id, "application/pdf", utf8("contrato"));
    linkedFile.resourceKey = "rk-1"; // link-shared: readable only with its resource key
    var linkedFolder = drive.folder("Plantillas", outside.id);
    drive.share(linkedFolder.id);
    drive.file("carta.txt", linkedFolder.id, "text/plain", utf8("carta"));
    var inside = drive.file("política.txt", root.id, "text/plain", utf8("política"));
    var sub = drive.folder("Sub", root.id);
    drive.shortcut("Contrato", sub.id, linkedFile);
    drive.shortcut("Plantillas atajo", root.id, linkedFolder);
    drive.shortcut("política (atajo)", sub.id, inside); // reachable twice: indexed once
    drive.shortcut("bucle", sub.id, root); // a loop back to the root
    drive.danglingShortcut("roto", sub.id);
    try (var source = source()) {
      var view = new View().sync(source);
      assertEquals(
          Set.of("política.txt", "Sub/Contrato", "Plantillas atajo/carta.txt"), view.paths());
      assertEquals(linkedFile.id, paths(List.copyOf(view.items.values())).get("Sub/Contrato"));
      assertEquals(2, source.skipped().size(), source.skipped().toString());
      assertTrue(
          source.skipped().stream().anyMatch(s -> s.contains("bucle") && s.contains("loop")));
      assertTrue(
          source.skipped().stream().anyMatch(s -> s.contains("roto") && s.contains("dangling")));
      SourceItem contract = view.items.get(linkedFile.id);
      try (Fetched fetched = source.fetch(contract, 1 << 20)) {
        assertEquals("contrato", java.nio.file.Files.readString(fetched.file()));
      }
      // changes reach items brought in by shortcuts too
      drive.update(linkedFile, utf8("contrato v2"));
      drive.file("sobre.txt", linkedFolder.id, "text/plain", utf8("sobre"));
      view.sync(source);
      assertEquals(
          Optional.of(FakeDrive.md5(utf8("contrato v2"))),
          view.items.get(linkedFile.id).contentHint());
      assertTrue(view.paths().contains("Plantillas atajo/sobre.txt"));
    }
  }

  @Test
  void rateLimitsAreRetriedWithBackoffAndRetryAfterNeverTakenForLostAccess() throws IOException {
    drive.file("a.txt", root.id, "text/plain", utf8("a"));
    try (var source = source()) {
      source.check(); // a token, so faults hit API calls
      drive.fail(new FakeDrive.Fault(403, "userRateLimitExceeded", null), 1);
      drive.fail(new FakeDrive.Fault(403, "rateLimitExceeded", null), 1);
      drive.fail(new FakeDrive.Fault(429, "rateLimitExceeded", "3"), 1);
      drive.fail(new FakeDrive.Fault(503, "backendError", null), 1);
      assertEquals(1, full(source).size());
      assertEquals(4, sleeps.size(), sleeps.toString());
      assertTrue(
          sleeps.get(2).compareTo(Duration.ofSeconds(3)) >= 0, "Retry-After honoured: " + sleeps);
      assertTrue(sleeps.get(1).compareTo(Duration.ofMillis(10)) >= 0, "backoff grows: " + sleeps);

      drive.fail(new FakeDrive.Fault(403, "userRateLimitExceeded", null), 50);
      var e = assertThrows(SourceException.class, () -> source.list(Optional.empty()));
      assertTrue(e.getMessage().contains("userRateLimitExceeded"), e.getMessage());
      assertFalse(
          e.getMessage().contains("not shared"),
          "a rate limit is not lost access: " + e.getMessage());
    }
  }

  @Test
  void incrementalChangesFollowTrashDeleteRenameAndMovesInAndOutWithSubtrees() throws IOException {
    drive.pageSize(2);
    var outside = drive.folder("Archivo", null);
    drive.share(outside.id); // visible to the service account, but not in scope
    var docs = drive.folder("Docs", root.id);
    var deep = drive.folder("Deep", docs.id);
    var a = drive.file("a.txt", root.id, "text/plain", utf8("a"));
    var b = drive.file("b.txt", docs.id, "text/plain", utf8("b"));
    var c = drive.file("c.txt", deep.id, "text/plain", utf8("c"));
    var d = drive.file("d.txt", root.id, "text/plain", utf8("d"));
    var e = drive.file("e.txt", root.id, "text/plain", utf8("e"));
    var x = drive.file("x.txt", outside.id, "text/plain", utf8("x"));
    var oldFolder = drive.folder("Viejo", outside.id);
    var y = drive.file("y.txt", oldFolder.id, "text/plain", utf8("y"));
    try (var source = source()) {
      var view = new View().sync(source);
      assertEquals(
          Set.of("a.txt", "d.txt", "e.txt", "Docs/b.txt", "Docs/Deep/c.txt"), view.paths());

      drive.clearRequestLog();
      var none = assertInstanceOf(Listing.Changes.class, source.list(view.cursor, view.state));
      assertEquals(
          1, drive.requestLog().size(), "no change is one changes.list: " + drive.requestLog());
      assertTrue(none.upserts().isEmpty() && none.removedIds().isEmpty());
      assertEquals(view.cursor, none.cursor(), "nothing changed, same cursor");

      drive.trash(a);
      drive.delete(d);
      drive.rename(e, "e renamed.txt");
      drive.move(x, root.id); // moved into scope
      view.sync(source);
      assertEquals(Set.of(a.id, d.id), Set.copyOf(view.changes().removedIds()));
      assertEquals(Set.of("e renamed.txt", "x.txt", "Docs/b.txt", "Docs/Deep/c.txt"), view.paths());

      drive.move(docs, outside.id); // a folder moved out takes its subtree
      view.sync(source);
      assertEquals(Set.of(b.id, c.id), Set.copyOf(view.changes().removedIds()));
      assertEquals(Set.of("e renamed.txt", "x.txt"), view.paths());

      drive.move(oldFolder, root.id); // a folder moved in brings its subtree
      drive.rename(oldFolder, "Recuperado");
      view.sync(source);
      assertEquals(Set.of("e renamed.txt", "x.txt", "Recuperado/y.txt"), view.paths());
      assertEquals(y.id, paths(List.copyOf(view.items.values())).get("Recuperado/y.txt"));

      var renamedSub = drive.folder("Sub", oldFolder.id);
      drive.move(y, renamedSub.id);
      drive.rename(oldFolder, "Final"); // a rename above changes paths only
      view.sync(source);
      assertEquals(Set.of("e renamed.txt", "x.txt", "Final/Sub/y.txt"), view.paths());

      drive.trash(oldFolder); // a trashed folder takes its subtree
      view.sync(source);
      assertEquals(Set.of("e renamed.txt", "x.txt"), view.paths());
      assertTrue(view.changes().removedIds().contains(y.id));
    }
  }

  @Test
  void aVersionBumpWithoutNewBytesKeepsTheContentHint() throws IOException {
    var f = drive.file("a.pdf", root.id, "application/pdf", utf8("same"));
    try (var source = source()) {
      var view = new View().sync(source);
      SourceItem before = view.items.get(f.id);
      drive.touch(f); // e.g. shared with someone: version moves, bytes do not
      view.sync(source);
      SourceItem after = view.items.get(f.id);
      assertNotEquals(before.version(), after.version());
      assertEquals(
          before.contentHint(), after.contentHint(), "the sync skips the fetch on an equal md5");
    }
  }

  @Test
  void aCursorDriveRejectsIsExpiredSoTheSyncReconciles() throws IOException {
    drive.file("a.txt", root.id, "text/plain", utf8("a"));
    try (var source = source()) {
      var view = new View().sync(source);
      drive.expireTokens();
      var e =
          assertThrows(CursorExpiredException.class, () -> source.list(view.cursor, view.state));
      assertTrue(e.getMessage().contains("change token"), e.getMessage());
      assertThrows(CursorExpiredException.class, () -> source.list(Optional.of("gd1:garbage")));
    }
  }

  @Test
  void aBadKeyAndAnUnsharedFolderFailClearlyAndNeverListEmpty() throws Exception {
    drive.file("a.txt", root.id, "text/plain", utf8("a"));
    String untrusted = drive.untrustedServiceAccountJson();
    try (var source = DriveFixtures.source(drive, untrusted, root.id, false, sleeps)) {
      var e = assertThrows(SourceException.class, source::check);
      assertTrue(e.getMessage().contains("ANCLA_DRIVE_CREDENTIALS"), e.getMessage());
      assertFalse(e.getMessage().contains("PRIVATE KEY"), "never the key");
      assertThrows(SourceException.class, () -> source.list(Optional.empty()));
    }
    var garbled =
        drive.serviceAccountJson().replaceAll("MII[A-Za-z0-9+/]{20}", "MIIgarbledgarbledgarbled");
    var e =
        assertThrows(
            SourceException.class,
            () -> DriveFixtures.source(drive, garbled, root.id, false, sleeps));
    assertTrue(e.getMessage().contains("ANCLA_DRIVE_CREDENTIALS"), e.getMessage());
    assertFalse(e.getMessage().contains("garbled"), "never the key: " + e.getMessage());

    var unshared = drive.folder("Privado", null);
    drive.file("secret.txt", unshared.id, "text/plain", utf8("s"));
    try (var source = DriveFixtures.source(drive, unshared.id, false, sleeps)) {
      var check = assertThrows(SourceException.class, source::check);
      assertTrue(check.getMessage().contains(unshared.id), check.getMessage());
      assertTrue(check.getMessage().contains(FakeDrive.EMAIL), check.getMessage());
      assertTrue(check.getMessage().contains("Viewer"), check.getMessage());
      // an unshared folder lists as empty in Drive: the source must throw instead
      assertThrows(SourceException.class, () -> source.list(Optional.empty()));
    }
  }

  private static byte[] xlsx() throws IOException {
    try (var book = new XSSFWorkbook();
        var out = new ByteArrayOutputStream()) {
      String[][] tabs = {{"Ingresos", "ventas"}, {"Gastos", "alquiler"}, {"Resumen", "beneficio"}};
      for (String[] tab : tabs) {
        var sheet = book.createSheet(tab[0]);
        var row = sheet.createRow(0);
        row.createCell(0).setCellValue(tab[1]);
        row.createCell(1).setCellValue(1200);
      }
      book.write(out);
      return out.toByteArray();
    }
  }

  private static byte[] pptx() throws IOException {
    try (var show = new XMLSlideShow();
        var out = new ByteArrayOutputStream()) {
      for (String title : List.of("Objetivos 2026", "Próximos pasos")) {
        var slide = show.createSlide();
        var box = slide.createTextBox();
        box.setText(title);
      }
      show.write(out);
      return out.toByteArray();
    }
  }
}
