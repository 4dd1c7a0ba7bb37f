package dev.ancla.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.index.RegistryEntry;
import dev.ancla.ingest.parse.Fixtures;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of every supported format next to every kind of bad input, synced end to end: the run
 * finishes, good files are searchable, each bad file is recorded with the right reason.
 */
class BadCorpusSyncTest {
  @TempDir Path dir;

  @Test
  void everyFormatIndexesAndEveryBadFileIsRecordedWithItsReason() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Path good = Files.createDirectories(docs.resolve("buenos"));
    Fixtures.pdf(good);
    Fixtures.docx(good);
    Fixtures.xlsx(good);
    Fixtures.pptx(good);
    Fixtures.odt(good);
    Fixtures.ods(good);
    Fixtures.odp(good);
    Fixtures.epub(good);
    Fixtures.html(good);
    Fixtures.markdown(good);
    Fixtures.csv(good);
    Fixtures.rtf(good);
    Fixtures.write(
        good.resolve("informe final ñandú 📄.txt"), "El ñandú corre por la pampa argentina.");
    Path deep = good;
    for (int i = 0; i < 30; i++) {
      deep = deep.resolve("nivel-" + i);
    }
    Files.createDirectories(deep);
    Fixtures.write(deep.resolve("fondo.txt"), "Texto en lo más hondo de la carpeta.");
    Files.createSymbolicLink(deep.resolve("bucle"), docs);

    Path bad = Files.createDirectories(docs.resolve("malos"));
    Fixtures.truncatedPdf(bad, 600);
    Fixtures.encryptedPdf(bad);
    Fixtures.zipBombDocx(bad, 200);
    Files.write(bad.resolve("vacío.txt"), new byte[0]);
    Fixtures.randomBytes(bad, "no-es-un.pdf", 8192);
    Fixtures.largeText(bad, "enorme.txt", 50);
    Path images = Files.createDirectories(docs.resolve("imagenes"));
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png",
        images.resolve("logo.png").toFile());

    try (Ancla ancla = TestAncla.open(dir.resolve("data"), docs, "ANCLA_MAX_CHARS", "20000")) {
      SyncReport report = ancla.sync().sync(new ProgressTracker(System::nanoTime));
      assertTrue(report.complete());
      Map<String, RegistryEntry> registry =
          ancla.store().registryEntries(e -> true).stream()
              .collect(Collectors.toMap(RegistryEntry::path, Function.identity()));

      var goodFiles =
          registry.values().stream().filter(e -> e.path().startsWith("buenos/")).toList();
      assertEquals(14, goodFiles.size(), registry.keySet().toString());
      for (RegistryEntry e : goodFiles) {
        assertEquals(RegistryEntry.Status.OK, e.status(), e.toString());
        assertTrue(e.chunks() > 0, e.toString());
      }
      assertReason(registry, "malos/truncated.pdf", "corrupt");
      assertReason(registry, "malos/locked.pdf", "encrypted");
      assertReason(registry, "malos/bomb.docx", "zip_bomb");
      assertReason(registry, "malos/vacío.txt", "empty");
      assertReason(registry, "malos/no-es-un.pdf", "unsupported");
      RegistryEntry huge = registry.get("malos/enorme.txt");
      assertEquals(RegistryEntry.Status.OK, huge.status());
      assertTrue(huge.truncated());
      assertEquals(5, report.failed());
      // an image is not a document: skipped with its reason, not counted as a failure
      RegistryEntry logo = registry.get("imagenes/logo.png");
      assertEquals(RegistryEntry.Status.SKIPPED, logo.status());
      assertTrue(logo.error().orElse("").startsWith("not_a_document:"), logo.toString());
      assertEquals(1, report.skipped());
      // 14 good files, the truncated giant, and the intact PDF that truncatedPdf() cut its copy
      // from
      assertEquals(
          new dev.ancla.index.IndexStore.Counts(16, ancla.store().counts().chunks(), 5, 1),
          ancla.store().counts(),
          registry.keySet().toString());

      var hits = ancla.retriever().search("ñandú pampa", 3);
      assertEquals("buenos/informe final ñandú 📄.txt", hits.getFirst().path());
      assertEquals(0, ancla.sync().sync(new ProgressTracker(System::nanoTime)).chunksEmbedded());
    }
  }

  private static void assertReason(Map<String, RegistryEntry> registry, String path, String kind) {
    RegistryEntry e = registry.get(path);
    assertNotNull(e, path + " missing from " + registry.keySet());
    assertEquals(RegistryEntry.Status.FAILED, e.status(), e.toString());
    assertTrue(e.error().orElse("").startsWith(kind + ":"), path + ": " + e.error());
  }
}
