package dev.ancla.source.s3;

import static org.junit.jupiter.api.Assertions.*;

import dev.ancla.Ancla;
import dev.ancla.index.RegistryEntry;
import dev.ancla.snapshot.S3Fixture;
import dev.ancla.sync.ProgressTracker;
import dev.ancla.sync.SourceReport;
import dev.ancla.sync.SyncReport;
import dev.ancla.testing.TestAncla;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A bucket beside a folder, synced end to end: real S3 client on S3Proxy, real model, Lucene. */
class S3SyncTest {
  @RegisterExtension final S3ProxyExtension proxy = S3Fixture.newProxy();
  @TempDir Path dir;

  private SyncReport sync(Path docs, TestBucket bucket, String... extra) throws Exception {
    var pairs = new ArrayList<>(List.of("ANCLA_SOURCES", docs + "," + bucket.url()));
    pairs.addAll(bucket.env());
    pairs.addAll(List.of(extra));
    try (Ancla ancla = TestAncla.open(dir.resolve("data"), docs, pairs.toArray(String[]::new))) {
      return ancla.sync().sync(new ProgressTracker(System::nanoTime));
    }
  }

  private List<RegistryEntry> registry(String source, Path docs, TestBucket bucket)
      throws Exception {
    var pairs = new ArrayList<>(List.of("ANCLA_SOURCES", docs + "," + bucket.url()));
    pairs.addAll(bucket.env());
    try (Ancla ancla = TestAncla.open(dir.resolve("data"), docs, pairs.toArray(String[]::new))) {
      return ancla.store().registryEntries(e -> e.source().equals(source));
    }
  }

  private static SourceReport of(SyncReport report, String id) {
    return report.sources().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void objectsAreAddedChangedAndDeletedAndAnUnreachableBucketDeletesNothing() throws Exception {
    Path docs = Files.createDirectories(dir.resolve("docs"));
    Files.writeString(docs.resolve("faros.md"), "# Faros\n\nEl faro de Finisterre guía barcos.");
    try (var bucket = new TestBucket(proxy, "team-docs", "manuales")) {
      bucket.put("volcanes/teide.txt", "El Teide es el pico más alto de España.");
      bucket.put("pan.txt", "Sourdough bread needs a mature starter, flour, water and salt.");
      bucket.put("borrar.txt", "Este documento se borrará del bucket.");

      SyncReport first = sync(docs, bucket);
      SourceReport s3 = of(first, "manuales");
      assertEquals("s3", s3.kind());
      assertEquals("s3://team-docs/manuales", s3.root());
      assertEquals(3, s3.listed());
      assertEquals(3, s3.indexed());
      assertEquals(1, of(first, "docs").indexed());
      var entries = registry("manuales", docs, bucket);
      assertEquals(
          List.of("borrar.txt", "pan.txt", "volcanes/teide.txt"),
          entries.stream().map(RegistryEntry::path).sorted().toList());
      assertEquals(
          "manuales/pan.txt",
          entries.stream().filter(e -> e.path().equals("pan.txt")).findFirst().orElseThrow().id(),
          "the key");

      bucket.put("pan.txt", "Sourdough bread: bulk fermentation takes four to six hours.");
      bucket.delete("borrar.txt");
      bucket.put("nuevo.txt", "La Alhambra es un palacio nazarí de Granada.");
      SyncReport second = sync(docs, bucket);
      assertEquals(1, second.added());
      assertEquals(1, second.changed());
      assertEquals(1, second.deleted());
      assertEquals(2, second.unchanged(), "teide.txt, and the folder's faros.md");

      // the bucket's endpoint stops answering: that source fails, nothing of it is deleted
      Files.writeString(docs.resolve("nuevo.md"), "# Nuevo\n\nEl faro de Hércules es romano.");
      SyncReport down = sync(docs, bucket, "ANCLA_S3_SOURCE_ENDPOINT", "http://127.0.0.1:1");
      SourceReport failed = of(down, "manuales");
      assertTrue(
          failed.error().orElseThrow().contains("ANCLA_S3_SOURCE_ENDPOINT"), failed.toString());
      assertEquals(1, of(down, "docs").indexed(), "the folder still synced");
      assertEquals(0, down.deleted());
      assertEquals(3, registry("manuales", docs, bucket).size());
    }
  }
}
