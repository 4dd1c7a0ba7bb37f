package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.index.RegistryEntry;
import dev.ancla.query.SearchHit;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental sync on real files, the real parser and the real model. */
class SyncServiceTest {
  @TempDir Path dir;
  Path docs;
  Path data;

  static final String LIGHTHOUSE =
      "# Faros de Galicia\n\nEl faro de Finisterre guía a los barcos en la Costa da Morte desde 1853."
          + " Su luz alcanza veintitrés millas náuticas.\n\n## Mantenimiento\n\nLos fareros revisan la"
          + " lámpara cada noche y anotan el viento en el diario.";
  static final String BREAD =
      "Sourdough bread needs a mature starter, flour, water and salt. Bulk fermentation takes four"
          + " to six hours at room temperature.\n\nBake at 250 degrees in a covered pot for twenty"
          + " minutes, then uncovered until the crust is deep brown.";
  static final String VOLCANO =
      "El Teide es un volcán de Tenerife. Con 3.715 metros es el pico más alto de España y el"
          + " tercer volcán más alto del mundo medido desde su base en el fondo oceánico.";

  @BeforeEach
  void files() throws Exception {
    docs = Files.createDirectories(dir.resolve("docs"));
    data = dir.resolve("data");
    Files.writeString(docs.resolve("faros.md"), LIGHTHOUSE);
    Files.writeString(Files.createDirectories(docs.resolve("cocina")).resolve("pan.txt"), BREAD);
    Files.writeString(docs.resolve("teide.txt"), VOLCANO);
  }

  private SyncReport sync() throws Exception {
    try (Ancla ancla = TestAncla.open(data, docs)) {
      return ancla.sync().sync(new ProgressTracker(System::nanoTime));
    }
  }

  private List<SearchHit> search(String query) throws Exception {
    try (Ancla ancla = TestAncla.open(data, docs)) {
      return ancla.retriever().search(query, 5);
    }
  }

  private List<RegistryEntry> registry() throws Exception {
    try (Ancla ancla = TestAncla.open(data, docs)) {
      return ancla.store().registryEntries(e -> true);
    }
  }

  @Test
  void firstSyncIndexesEveryFileAndSearchFindsThem() throws Exception {
    SyncReport report = sync();
    assertEquals(3, report.added());
    assertEquals(0, report.failed());
    assertTrue(report.complete());
    assertTrue(report.chunksEmbedded() >= 3, report.toString());
    assertEquals("faros.md", search("faro de Finisterre").getFirst().path());
    assertEquals(
        "cocina/pan.txt", search("how long does bulk fermentation take").getFirst().path());
    // accents folded: "volcan" finds "volcán"
    assertEquals("teide.txt", search("volcan mas alto de Espana").getFirst().path());
  }

  @Test
  void aSecondSyncWithNothingChangedEmbedsNothing() throws Exception {
    long first = sync().chunksEmbedded();
    SyncReport again = sync();
    assertEquals(0, again.added() + again.changed() + again.deleted());
    assertEquals(3, again.unchanged());
    assertEquals(0, again.chunksEmbedded());
    try (Ancla ancla = TestAncla.open(data, docs)) {
      assertEquals(first, ancla.store().counts().chunks());
    }
  }

  @Test
  void editingOneFileReembedsOnlyThatFile() throws Exception {
    sync();
    Files.writeString(docs.resolve("teide.txt"), VOLCANO + "\n\nSu última erupción fue en 1909.");
    SyncReport report = sync();
    assertEquals(1, report.changed());
    assertEquals(2, report.unchanged());
    int teideChunks =
        registry().stream()
            .filter(e -> e.path().equals("teide.txt"))
            .findFirst()
            .orElseThrow()
            .chunks();
    assertTrue(
        report.chunksEmbedded() >= 1 && report.chunksEmbedded() <= teideChunks, report.toString());
    assertEquals("teide.txt", search("última erupción 1909").getFirst().path());
  }

  @Test
  void renamingOrMovingAFileEmbedsNothing() throws Exception {
    sync();
    Files.move(
        docs.resolve("faros.md"),
        Files.createDirectories(docs.resolve("viajes")).resolve("faros-galicia.md"));
    SyncReport report = sync();
    assertEquals(1, report.added());
    assertEquals(1, report.deleted());
    assertEquals(0, report.chunksEmbedded());
    assertTrue(report.chunksReused() >= 1);
    List<SearchHit> hits = search("faro de Finisterre");
    assertEquals("viajes/faros-galicia.md", hits.getFirst().path());
    assertTrue(hits.stream().noneMatch(h -> h.path().equals("faros.md")));
  }

  @Test
  void deletingAFileRemovesItFromSearchAndRegistry() throws Exception {
    sync();
    Files.delete(docs.resolve("cocina/pan.txt"));
    SyncReport report = sync();
    assertEquals(1, report.deleted());
    assertTrue(
        search("sourdough starter fermentation").stream()
            .noneMatch(h -> h.path().equals("cocina/pan.txt")));
    assertTrue(registry().stream().noneMatch(e -> e.path().equals("cocina/pan.txt")));
  }

  @Test
  void touchingAFileWithoutChangingItsBytesOnlyMovesItsVersion() throws Exception {
    sync();
    FileTime later =
        FileTime.fromMillis(
            Files.getLastModifiedTime(docs.resolve("teide.txt")).toMillis() + 60_000);
    Files.setLastModifiedTime(docs.resolve("teide.txt"), later);
    SyncReport report = sync();
    assertEquals(0, report.changed());
    assertEquals(3, report.unchanged());
    assertEquals(0, report.chunksEmbedded());
    RegistryEntry teide =
        registry().stream().filter(e -> e.path().equals("teide.txt")).findFirst().orElseThrow();
    assertEquals(
        RegistryEntry.folderVersion(Files.size(docs.resolve("teide.txt")), later.toMillis()),
        teide.version());
    // and a third sync sees nothing to do at all
    assertEquals(0, sync().chunksEmbedded());
  }

  @Test
  void duplicateFilesAreEmbeddedOnce() throws Exception {
    Files.writeString(docs.resolve("copia-de-teide.txt"), VOLCANO);
    SyncReport report = sync();
    assertEquals(4, report.added());
    int teideChunks =
        registry().stream()
            .filter(e -> e.path().equals("teide.txt"))
            .findFirst()
            .orElseThrow()
            .chunks();
    assertEquals(
        report.chunksEmbedded() + teideChunks, report.chunksEmbedded() + report.chunksReused());
    assertEquals(teideChunks, report.chunksReused());
    // a copy is a near-duplicate: search shows the text once, not twice
    var paths = search("Teide Tenerife volcán").stream().map(SearchHit::path).toList();
    assertEquals(1, paths.stream().filter(p -> p.endsWith("teide.txt")).count(), paths.toString());
  }

  @Test
  void aBadFileIsRecordedWithItsReasonAndTheRunGoesOn() throws Exception {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    Files.write(docs.resolve("informe.pdf"), noise);
    Files.write(docs.resolve("vacío.txt"), new byte[0]);
    SyncReport report = sync();
    assertEquals(5, report.added());
    assertEquals(2, report.failed());
    assertTrue(report.complete());
    var failures =
        registry().stream().filter(e -> e.status() == RegistryEntry.Status.FAILED).toList();
    assertEquals(
        List.of("informe.pdf", "vacío.txt"), failures.stream().map(RegistryEntry::path).toList());
    failures.forEach(f -> assertFalse(f.error().orElse("").isBlank(), f.toString()));
    assertEquals("teide.txt", search("Teide Tenerife").getFirst().path());
    // a failed file is not retried until it changes
    assertEquals(0, sync().failed());
    Files.writeString(docs.resolve("vacío.txt"), "Ahora tiene texto sobre el Teide.");
    SyncReport fixed = sync();
    assertEquals(1, fixed.changed());
    assertEquals(0, fixed.failed());
  }

  @Test
  void anIndexBuiltWithAnotherModelIsNeverMixedWithNewVectors() throws Exception {
    sync();
    // simulate an index from another model: same data, other fingerprint in the commit
    try (Ancla ancla = TestAncla.open(data, docs)) {
      var commitData = new java.util.HashMap<>(ancla.store().lastCommit().orElseThrow().raw());
      commitData.put("model.fingerprint", "0123456789abcdef");
      commitData.put("model.name", "other-model");
      ancla.store().commit(commitData);
    }
    Files.writeString(docs.resolve("nuevo.txt"), "Un archivo nuevo que habría que embeber.");
    try (Ancla ancla = TestAncla.open(data, docs)) {
      var e =
          assertThrows(
              SyncService.ModelMismatchException.class,
              () -> ancla.sync().sync(new ProgressTracker(System::nanoTime)));
      assertTrue(e.getMessage().contains("other-model"), e.getMessage());
      assertEquals(3, ancla.store().counts().documents(), "nothing was written");
      // search falls back to BM25 rather than comparing vectors of two models
      assertEquals("teide.txt", ancla.retriever().search("Teide Tenerife", 3).getFirst().path());
    }
  }
}
