package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.config.Config;
import dev.ancla.embed.Embedder;
import dev.ancla.index.Analyzers;
import dev.ancla.index.CommitInfo;
import dev.ancla.index.IndexStore;
import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.parse.ParseLimits;
import dev.ancla.ingest.parse.TikaDocumentParser;
import dev.ancla.query.HybridRetriever;
import dev.ancla.query.SearchHit;
import dev.ancla.source.MemorySource;
import dev.ancla.source.Source;
import dev.ancla.testing.TestModel;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sync's rules for sources with stable ids, content hints, links and change feeds (Drive's
 * shape), on the in-memory source, the real parser, the real model and a real Lucene index.
 */
class SourceSyncTest {
  @TempDir Path dir;
  IndexStore store;
  MemorySource drive;
  MemorySource other;

  static final String FAROS =
      "# Faros de Galicia\n\nEl faro de Finisterre guía a los barcos en la Costa da Morte desde"
          + " 1853. Su luz alcanza veintitrés millas náuticas.";
  static final String PAN =
      "Sourdough bread needs a mature starter, flour, water and salt. Bulk fermentation takes four"
          + " to six hours at room temperature.";
  static final String TEIDE =
      "El Teide es un volcán de Tenerife. Con 3.715 metros es el pico más alto de España.";

  @BeforeEach
  void open() throws IOException {
    store =
        IndexStore.openForWriting(dir.resolve("index"), Analyzers.forLanguage(Config.Language.ES));
    drive = new MemorySource("drive", true);
    other = new MemorySource("other", false);
    drive.put("faros.md", FAROS);
    drive.put("cocina/pan.txt", PAN);
    other.put("teide.txt", TEIDE);
  }

  @AfterEach
  void close() throws IOException {
    store.close();
  }

  private SyncService service(Embedder embedder, List<Source> sources) {
    var settings =
        new SyncService.Settings(200, 32, 1, Duration.ofMinutes(5), 1, 1, "es", "test", 1, 1 << 20);
    return new SyncService(
        sources,
        store,
        new TikaDocumentParser(ParseLimits.defaults()),
        embedder,
        settings,
        Clock.systemUTC(),
        System::nanoTime);
  }

  private SyncReport sync() throws IOException {
    return service(TestModel.shared(), List.of(drive, other))
        .sync(new ProgressTracker(System::nanoTime));
  }

  private RegistryEntry entry(MemorySource source, String id) throws IOException {
    return store.registry(source.id()).get(id);
  }

  private Map<String, String> commitData() throws IOException {
    return store.lastCommit().orElseThrow().raw();
  }

  private SourceReport of(SyncReport report, String source) {
    return report.sources().stream().filter(s -> s.id().equals(source)).findFirst().orElseThrow();
  }

  private List<SearchHit> search(String query) throws IOException {
    return new HybridRetriever(
            store, Analyzers.forLanguage(Config.Language.ES), Optional.of(TestModel.shared()))
        .search(query, 5);
  }

  @Test
  void aFirstSyncReportsEachSourceAndStoresTheCursorOfAChangeFeed() throws IOException {
    SyncReport report = sync();
    assertEquals(3, report.added());
    SourceReport d = of(report, "drive");
    assertEquals(2, d.listed());
    assertEquals(2, d.indexed());
    assertEquals("memory", d.kind());
    assertEquals(1, of(report, "other").indexed());
    assertTrue(d.fullListing());
    assertEquals("2", commitData().get("source.drive.cursor"), "the generation after 2 puts");
    assertNull(commitData().get("source.other.cursor"), "no change feed, no cursor");
    assertEquals("2", commitData().get("source.drive.listed"));
  }

  @Test
  void aRenameRewritesThePathAndEmbedsAndFetchesNothing() throws IOException {
    sync();
    String id = drive.idOf("faros.md").orElseThrow();
    long chunks = store.counts().chunks();
    int fetches = drive.fetches();
    drive.rename("faros.md", "costa/faros-de-galicia.md");
    SyncReport report = sync();
    assertFalse(of(report, "drive").fullListing(), "changes since the stored cursor");
    assertEquals(1, of(report, "drive").relisted());
    assertEquals(0, report.chunksEmbedded());
    assertEquals(fetches, drive.fetches(), "nothing fetched");
    assertEquals("costa/faros-de-galicia.md", entry(drive, id).path());
    assertEquals(chunks, store.counts().chunks());
    store.refresh();
    assertEquals("costa/faros-de-galicia.md", search("faro de Finisterre").getFirst().path());
  }

  @Test
  void anEqualContentHintMovesTheVersionWithoutAFetch() throws IOException {
    sync();
    String id = drive.idOf("cocina/pan.txt").orElseThrow();
    String before = entry(drive, id).version();
    int fetches = drive.fetches();
    drive.touch("cocina/pan.txt"); // a sharing change: version moves, md5 stays
    SyncReport report = sync();
    assertEquals(fetches, drive.fetches());
    assertEquals(0, report.chunksEmbedded());
    assertNotEquals(before, entry(drive, id).version());
    assertEquals(drive.idOf("cocina/pan.txt"), Optional.of(entry(drive, id).id()));
  }

  @Test
  void aVersionMoveWithoutAHintFetchesOnceAndEmbedsNothingWhenTheBytesAreTheSame()
      throws IOException {
    sync();
    String id = drive.idOf("faros.md").orElseThrow();
    int fetches = drive.fetches();
    drive.touchWithoutHint("faros.md"); // a native doc: only the exported bytes can tell
    SyncReport report = sync();
    assertEquals(fetches + 1, drive.fetches());
    assertEquals(0, report.chunksEmbedded());
    assertEquals(0, report.changed(), "same bytes count as unchanged");
    assertEquals(1, of(report, "drive").unchanged());
    assertEquals(String.valueOf(2), entry(drive, id).version());
    assertTrue(entry(drive, id).contentHint().isEmpty());
  }

  @Test
  void changedContentIsEmbeddedAgainAndAChangeFeedDeletionLeavesInThatSync() throws IOException {
    sync();
    drive.put("faros.md", FAROS + "\n\nEl faro de Hércules es romano y sigue en uso.");
    drive.delete("cocina/pan.txt");
    SyncReport report = sync();
    assertEquals(1, report.changed());
    assertEquals(1, report.deleted());
    assertTrue(report.chunksEmbedded() > 0);
    assertEquals(1, store.registry("drive").size());
    store.refresh();
    var hits = search("bulk fermentation sourdough");
    assertTrue(hits.stream().noneMatch(h -> h.path().equals("cocina/pan.txt")), hits.toString());
  }

  @Test
  void anExpiredCursorFallsBackToAFullListingThatReconciles() throws IOException {
    sync();
    drive.delete("cocina/pan.txt");
    drive.expireCursors();
    SyncReport report = sync();
    assertTrue(of(report, "drive").fullListing(), "the rejected cursor led to a full listing");
    assertEquals(1, report.deleted());
    assertEquals("3", commitData().get("source.drive.cursor"));
  }

  @Test
  void aSourceThatCannotBeListedKeepsItsDocumentsAndTheOthersStillSync() throws IOException {
    sync();
    String cursor = commitData().get("source.drive.cursor");
    drive.failListing(Optional.of(new IOException("drive is down; share the folder with x@y")));
    drive.delete("faros.md"); // must not leave: the listing failed
    other.put("teide.txt", TEIDE + " Su última erupción fue en 1909.");
    SyncReport report = sync();
    assertEquals(
        Optional.of("drive is down; share the folder with x@y"), of(report, "drive").error());
    assertEquals(2, store.registry("drive").size(), "nothing deleted");
    assertEquals(1, of(report, "other").indexed(), "the other source synced");
    assertEquals(cursor, commitData().get("source.drive.cursor"), "the cursor stays");
    assertEquals(
        "drive is down; share the folder with x@y", commitData().get("source.drive.error"));

    other.reachable(false);
    assertEquals(
        List.of("other"),
        List.copyOf(service(TestModel.shared(), List.of(drive, other)).checkSources().keySet()),
        "the check at start names the unreadable source");
    other.reachable(true);

    drive.failListing(Optional.empty());
    SyncReport healed = sync();
    assertTrue(healed.failedSources().isEmpty());
    assertEquals(1, store.registry("drive").size());
    assertNull(commitData().get("source.drive.error"));
  }

  @Test
  void anItemOverTheSizeLimitIsRecordedAsTooLargeAndTheRestIsIndexed() throws IOException {
    drive.put("enorme.txt", "palabra ".repeat(200_000)); // 1.6 MB, over the 1 MB of service()
    SyncReport report = sync();
    assertEquals(1, of(report, "drive").failed());
    assertEquals(2, of(report, "drive").indexed());
    RegistryEntry big = entry(drive, drive.idOf("enorme.txt").orElseThrow());
    assertEquals(RegistryEntry.Status.FAILED, big.status());
    assertTrue(big.error().orElseThrow().startsWith("too_large: "), big.error().orElseThrow());
    assertTrue(big.error().orElseThrow().contains("ANCLA_MAX_FILE_MB"));
  }

  @Test
  void aLinkIsStoredWithTheEntryAndItsChunks() throws IOException {
    URI link = URI.create("https://docs.google.com/document/d/abc/edit");
    String text = "La Alhambra de Granada es un palacio nazarí con patios, fuentes y jardines.";
    drive.put("enlace.txt", text.getBytes(StandardCharsets.UTF_8), Optional.of(link));
    sync();
    String id = drive.idOf("enlace.txt").orElseThrow();
    assertEquals(Optional.of(link), entry(drive, id).link());
    store.refresh();
    assertTrue(
        search("palacio nazarí de la Alhambra").stream()
            .anyMatch(h -> h.path().equals("enlace.txt") && h.link().equals(link.toString())));
  }

  @Test
  void aStoppedSyncNeverCommitsACursorAheadOfItsData() throws IOException {
    sync();
    String cursor = commitData().get("source.drive.cursor");
    for (int i = 0; i < 12; i++) {
      drive.put("lote/doc-" + i + ".txt", "Documento número " + i + " sobre faros y mareas.");
    }
    var service = new SyncService[1];
    Embedder stopping =
        TestModel.calling(
            TestModel.shared(),
            n -> {
              if (n == 1) {
                service[0].cancel();
              }
            });
    service[0] = service(stopping, List.of(drive, other));
    SyncReport stopped = service[0].sync(new ProgressTracker(System::nanoTime));
    assertFalse(stopped.complete());
    CommitInfo last = store.lastCommit().orElseThrow();
    assertFalse(last.complete());
    assertEquals(cursor, last.raw().get("source.drive.cursor"), "the old cursor replays");
    assertTrue(store.registry("drive").size() < 14, "stopped part-way");

    SyncReport resumed = sync();
    assertTrue(resumed.complete());
    assertEquals(14, store.registry("drive").size());
    assertNotEquals(cursor, commitData().get("source.drive.cursor"));
  }
}
